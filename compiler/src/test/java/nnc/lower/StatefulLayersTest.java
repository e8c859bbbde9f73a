package nnc.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.ir.IrModule;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dropout and batch norm behave differently in training and in evaluate/predict (DSL.md §6):
 * checked on every back end against values computed here by hand.
 */
class StatefulLayersTest {
    static IrModule compile(String text) {
        return Compilation.of(new SourceFile("t.nn", text)).withTrain(TrainConfig.defaults()).optimized();
    }

    static final String DROPOUT = """
            model D {
              input  x: f32[batch, 64]
              target y: f32[batch, 64]
              param  s: f32[1] = ones
              output o = dropout(x * s, 0.25)
              loss   mse(o, y)
            }
            """;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void dropoutDropsAQuarterScalesTheRestAndIsTheIdentityInEvaluate(Backend backend) {
        int batch = 16, n = batch * 64;
        CompiledModel m = backend.create(compile(DROPOUT), batch);
        ParamInit.initialize(m, 1);
        SplittableRandom r = new SplittableRandom(2);
        float[] x = m.floats("x");
        for (int i = 0; i < n; i++) x[i] = (float) (1 + r.nextDouble()); // no zeros, distinct values
        float s = m.floats("s")[0];
        m.trainStep(batch);
        float[] first = Arrays.copyOf(m.floats("o"), n);
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            if (first[i] == 0f) dropped++;
            else assertEquals(x[i] * s * (float) (1 / 0.75), first[i], 1e-6f * first[i], "kept element " + i + " is scaled by 1/(1-p)");
        }
        assertTrue(Math.abs(dropped - n / 4) <= 4 * Math.sqrt(n * 0.25 * 0.75), dropped + " of " + n + " dropped; expected about " + n / 4);
        m.trainStep(batch);
        float[] second = Arrays.copyOf(m.floats("o"), n);
        int differ = 0;
        for (int i = 0; i < n; i++) if ((first[i] == 0f) != (second[i] == 0f)) differ++;
        assertTrue(differ > n / 8, "the mask changes from step to step: " + differ + " elements differ");
        m.evaluate(batch);
        float sNow = m.floats("s")[0];
        for (int i = 0; i < n; i++) assertEquals(x[i] * sNow, m.floats("o")[i], "evaluate is the identity at " + i);
    }

    /** The masks depend on the run's seed: the same seed repeats them, another seed changes them. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void dropoutMasksFollowTheSeed(Backend backend) {
        int batch = 8;
        IrModule module = compile(DROPOUT);
        float[][] masks = new float[3][];
        long[] seeds = {1, 1, 2};
        for (int k = 0; k < 3; k++) {
            CompiledModel m = backend.create(module, batch);
            ParamInit.initialize(m, seeds[k]);
            for (int i = 0; i < batch * 64; i++) m.floats("x")[i] = 1 + i / 1024f;
            m.trainStep(batch);
            masks[k] = Arrays.copyOf(m.floats("o"), batch * 64);
        }
        assertArrayEquals(masks[0], masks[1], "same seed, same masks");
        assertFalse(Arrays.equals(masks[0], masks[2]), "another seed, other masks");
    }

    /** One training step's output o on a tensor whose 64×64 elements are all 1. */
    static float[] equalValuesStep(Backend backend, long seed, int steps) {
        int batch = 64, n = batch * 64;
        CompiledModel m = backend.create(compile(DROPOUT), batch);
        ParamInit.initialize(m, seed);
        Arrays.fill(m.floats("x"), 0, n, 1f);
        for (int k = 0; k < steps; k++) m.trainStep(batch);
        return Arrays.copyOf(m.floats("o"), n);
    }

    /**
     * The draw depends on each element's position, not its value: a tensor of equal values keeps
     * about 1 − p of its elements (a binomial 4σ bound on 4096), rows and columns differ, the mask
     * changes per step, repeats with the seed, and is the same on every back end (java = bytecode bitwise).
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void dropoutDrawsEqualValuesIndependently(Backend backend) {
        int n = 64 * 64;
        float[] o = equalValuesStep(backend, 1, 1);
        int kept = 0;
        for (float v : o) if (v != 0f) kept++;
        assertTrue(Math.abs(kept - 0.75 * n) <= 4 * Math.sqrt(n * 0.25 * 0.75), kept + " of " + n + " kept; expected about " + 0.75 * n);
        int sameRows = 0, sameCols = 0;
        for (int r = 1; r < 64; r++) {
            boolean row = true, col = true;
            for (int c = 0; c < 64; c++) {
                row &= (o[r * 64 + c] == 0f) == (o[c] == 0f);
                col &= (o[c * 64 + r] == 0f) == (o[c * 64] == 0f);
            }
            if (row) sameRows++;
            if (col) sameCols++;
        }
        assertEquals(0, sameRows, "no row repeats the first row's mask");
        assertEquals(0, sameCols, "no column repeats the first column's mask");
        float[] second = equalValuesStep(backend, 1, 2);
        int differ = 0;
        for (int i = 0; i < n; i++) if ((o[i] == 0f) != (second[i] == 0f)) differ++;
        assertTrue(Math.abs(differ - 0.375 * n) <= 4 * Math.sqrt(n * 0.375 * 0.625), differ + " elements change from step 1 to 2; independent masks change about 3/8");
        assertArrayEquals(o, equalValuesStep(backend, 1, 1), "same seed, same mask");
        assertFalse(Arrays.equals(o, equalValuesStep(backend, 2, 1)), "another seed, another mask");
        float[] interp = equalValuesStep(Backend.INTERP, 1, 1);
        if (backend == Backend.INTERP) return;
        // every back end evaluates the same f32 expression: identical bits
        for (int i = 0; i < n; i++)
            assertEquals(Float.floatToRawIntBits(interp[i]), Float.floatToRawIntBits(o[i]), backend + " agrees with the interpreter at " + i);
        assertArrayEquals(equalValuesStep(Backend.JAVA, 1, 1), equalValuesStep(Backend.BYTECODE, 1, 1), "java = bytecode");
    }

    static final String BATCH_NORM = """
            model B {
              input  x: f32[batch, 3]
              target y: f32[batch, 3]
              output o = batch_norm(x, momentum = 0.25)
              loss   mse(o, y)
            }
            train { optimizer sgd(lr = 1e-30) }  // γ and β stay 1 and 0 in f32
            """;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void batchNormUsesBatchStatisticsInTrainingAndRunningStatisticsInEvaluate(Backend backend) {
        int batch = 4;
        CompiledModel m = Compilation.of(new SourceFile("t.nn", BATCH_NORM)).compiled(backend, batch);
        ParamInit.initialize(m, 1);
        float[] x = {1, 10, -1, 2, 20, -1, 3, 30, -1, 6, 40, -1}; // columns: mean 3, 25, -1; biased var 3.5, 125, 0
        System.arraycopy(x, 0, m.floats("x"), 0, x.length);
        m.trainStep(batch);
        float[] o = m.floats("o");
        double[] mean = {3, 25, -1}, var = {3.5, 125, 0};
        for (int r = 0; r < batch; r++)
            for (int c = 0; c < 3; c++)
                assertEquals((x[r * 3 + c] - mean[c]) / Math.sqrt(var[c] + 1e-5), o[r * 3 + c], 1e-5, "training output " + r + "," + c);
        // running statistics: mean 0.75·0 + 0.25·μ; var 0.75·1 + 0.25·σ²·n/(n−1) (torch starts var at 1)
        float[] rm = m.floats("o.running_mean"), rv = m.floats("o.running_var");
        for (int c = 0; c < 3; c++) {
            assertEquals(0.25 * mean[c], rm[c], 1e-5, "running mean " + c);
            assertEquals(0.75 + 0.25 * var[c] * 4 / 3, rv[c], 1e-4, "running var " + c);
        }
        m.evaluate(batch);
        for (int r = 0; r < batch; r++)
            for (int c = 0; c < 3; c++)
                assertEquals((x[r * 3 + c] - rm[c]) / Math.sqrt(rv[c] + 1e-5), m.floats("o")[r * 3 + c], 1e-4, "evaluate output " + r + "," + c);
        float[] before = rm.clone();
        m.evaluate(batch);
        assertArrayEquals(before, m.floats("o.running_mean"), "evaluate leaves the running statistics alone");
        assertFalse(Arrays.equals(new float[3], before));
    }

    @Test
    void theStateEvaluateReadsIsInferenceStateAndOptimiserStateIsNot() {
        IrModule m = Compilation.of(new SourceFile("t.nn", """
                model S {
                  input  x: f32[batch, 3]
                  target y: f32[batch, 3]
                  h = dropout(batch_norm(dense(x, 3)), 0.5)
                  output o = h
                  loss   mse(o, y)
                }
                train { optimizer adam(lr = 0.01) }
                """)).optimized();
        ModelInfo info = m.info();
        assertEquals(List.of("h.batch_norm1.running_mean", "h.batch_norm1.running_var", "h.batch_norm1.updates"),
                info.inferenceState().stream().map(TensorSpec::name).toList());
        List<String> others = info.withRole(Role.STATE).stream().filter(s -> !s.inferenceState()).map(TensorSpec::name).toList();
        assertTrue(others.containsAll(List.of("h.dropout1.step", "h.dropout1.seed", "h.dense1.W.adam_m")), others.toString());
        assertEquals(info, ModelInfo.decode(info.encode()), "the flag survives the text a generated class embeds");
        assertEquals(info.withRole(Role.PARAM).size() + 3, info.trained().size());
    }
}
