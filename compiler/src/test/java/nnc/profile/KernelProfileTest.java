package nnc.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.emit.ModelPlan;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.GeneratedModel;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.io.JsonParser;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A profiled trainer and its {@link KernelProfile}: one row per kernel call of the train step, whose
 * kernel, kind, shape and line are those of the Kernel IR's train entry (and, for the samples, the
 * shapes worked out by hand from the {@code .nn} file); the profiled trainer computes the bits of
 * the plain one; both back ends give the same rows. No assertion on how long anything took.
 */
class KernelProfileTest {
    static final int BATCH = 8;

    /** A profile of {@code steps} steps of {@code sample} on {@code backend}, and the profiled model after them. */
    record Profiled(KernelProfile profile, GeneratedModel model, KernelProgram program) {}

    static Profiled profile(String sample, Backend backend, int steps) {
        Compilation c = SampleModules.stages(sample);
        GeneratedModel m = c.profiled(backend, BATCH, true);
        run(m, steps);
        long[] nanos = m.kernelNanos().clone();
        KernelProfile p = KernelProfile.of(new KernelProfile.Run(c.name(), backend.text(), 1, BATCH), c.program(), c.source(), nanos, steps,
                Arrays.stream(nanos).sum() + 1, Double.NaN);
        return new Profiled(p, m, c.program());
    }

    static void run(CompiledModel m, int steps) {
        ParamInit.initialize(m, 42);
        SplittableRandom rnd = new SplittableRandom(9);
        for (int s = 0; s < steps; s++) {
            SampleModules.feed(m, BATCH, rnd);
            m.trainStep(BATCH);
        }
    }

    static List<ProfileRow> bySlot(KernelProfile p) {
        return p.rows().stream().sorted(Comparator.comparingInt(ProfileRow::slot)).toList();
    }

    static ProfileRow only(KernelProfile p, Predicate<ProfileRow> which) {
        List<ProfileRow> rows = p.rows().stream().filter(which).toList();
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    @ParameterizedTest
    @CsvSource({"lenet, bytecode", "lenet, java", "fashion_mlp, bytecode", "fashion_mlp, java", "char_rnn, bytecode", "tiny_transformer, java",
            "bigram, bytecode"})
    void oneRowPerKernelOfTheTrainEntry(String sample, String backend) {
        Profiled r = profile(sample, Backend.parse(backend), 3);
        List<Kernel> kernels = r.program().entry("train").kernels();
        List<ProfileRow> rows = bySlot(r.profile());
        assertEquals(kernels.size(), rows.size());
        List<String> lines = SampleModules.stages(sample).source().lines();
        for (int slot = 0; slot < rows.size(); slot++) {
            ProfileRow row = rows.get(slot);
            Kernel k = kernels.get(slot);
            assertEquals(slot, row.slot());
            assertEquals("train" + slot, row.kernel(), "the method trainStep calls at this position");
            assertEquals(r.program().lines().of(k), row.line(), row.kernel());
            assertTrue(row.line() > 0, row.kernel() + " has a line");
            assertEquals(lines.get(row.line() - 1).strip(), row.source());
            assertEquals(sample + ".nn", row.file());
            assertTrue(kindFits(k, row.cost().kind()), row.kernel() + ": " + row.cost().kind() + " for " + k.getClass().getSimpleName());
            assertTrue(r.model().kernelNanos()[slot] > 0, row.kernel() + " timed (a clock of nanosecond resolution, 3 calls)");
        }
        double shares = rows.stream().mapToDouble(ProfileRow::share).sum();
        assertEquals(100, shares, 1e-9);
        for (int i = 1; i < r.profile().rows().size(); i++)
            assertTrue(r.profile().rows().get(i - 1).share() >= r.profile().rows().get(i).share(), "sorted by share");
    }

    /** The kind a row must have for each class of kernel (independent of how {@link KernelCost} words it otherwise). */
    private static boolean kindFits(Kernel k, String kind) {
        return switch (k) {
            case Kernel.MatMul m -> kind.equals((m.isBatched() ? "batched gemm " : "gemm ") + (m.transA() ? "T" : "N") + (m.transB() ? "T" : "N"));
            case Kernel.WithEpilogue e -> kindFits(e.head(), kind.substring(0, kind.indexOf(" + ")));
            case Kernel.Call c -> kind.equals(c.fn().text());
            case Kernel.Reduce red -> kind.equals("reduce " + red.fn().text());
            case Kernel.Pointwise p -> kind.startsWith("pointwise") || kind.equals("gather");
            case Kernel.Fused f -> kind.startsWith("pointwise") || kind.equals("gather");
            case Kernel.ScatterAdd s -> kind.equals("scatter-add");
            case Kernel.Loop l -> kind.equals("loop ×" + l.steps());
            case Kernel.StepCopy s -> false;
        };
    }

    /** LeNet's convolutions, pools and dense layers, their shapes worked out from lenet.nn at batch 8. */
    @Test
    void lenetRowsHaveTheShapesOfTheSource() {
        KernelProfile p = profile("lenet", Backend.BYTECODE, 1).profile();
        ProfileRow conv1 = only(p, r -> r.cost().kind().equals("conv2d") && r.line() == 5);
        assertEquals("8×1×28×28 → 6×28×28, k 5, s 1, p 2", conv1.cost().shape());
        assertEquals(2L * 8 * 6 * 28 * 28 * 1 * 5 * 5, conv1.cost().flops());
        assertEquals("GFLOP/s", conv1.rateUnit());
        ProfileRow conv2 = only(p, r -> r.cost().kind().equals("conv2d") && r.line() == 6);
        assertEquals("8×6×14×14 → 16×10×10, k 5, s 1, p 0", conv2.cost().shape());
        assertEquals(2L * 8 * 16 * 10 * 10 * 6 * 5 * 5, conv2.cost().flops());
        assertEquals("8×6×14×14 → 16×10×10, k 5, s 1, p 0", only(p, r -> r.cost().kind().equals("conv2d_grad_input")).cost().shape(),
                "no input gradient for the first convolution: x is an input");
        assertEquals(2, p.rows().stream().filter(r -> r.cost().kind().equals("conv2d_grad_weight")).count());
        assertEquals("8×6×28×28 → 6×14×14, k 2, s 2, p 0", only(p, r -> r.cost().kind().equals("max_pool2d") && r.line() == 5).cost().shape());
        assertEquals("GB/s", only(p, r -> r.cost().kind().equals("max_pool2d") && r.line() == 5).rateUnit());
        assertEquals(2, p.rows().stream().filter(r -> r.cost().kind().equals("max_pool2d_grad")).count());
        ProfileRow dense1 = only(p, r -> r.cost().shape().equals("8×120×400") && r.cost().kind().startsWith("gemm NN"));
        assertEquals(7, dense1.line());
        assertEquals(2L * 8 * 120 * 400, dense1.cost().flops());
        assertEquals(8, only(p, r -> r.cost().shape().equals("8×10×84") && r.cost().kind().startsWith("gemm NN")).line());
    }

    /**
     * The MLP's five products: two forward, two weight gradients (K = batch), one input gradient of the
     * hidden layer (with relu's derivative as its epilogue, the kernel is attributed to line 5, as its method's javadoc says).
     */
    @Test
    void mlpProductsAreTheFiveOfTheSource() {
        KernelProfile p = profile("fashion_mlp", Backend.JAVA, 1).profile();
        List<String> products = p.rows().stream().filter(r -> r.cost().kind().startsWith("gemm"))
                .map(r -> r.cost().kind().substring(0, 7) + " " + r.cost().shape() + " @" + r.line()).sorted().toList();
        assertEquals(List.of("gemm NN 8×10×128 @6", "gemm NN 8×128×784 @5", "gemm NT 8×128×10 @5", "gemm TN 128×10×8 @6", "gemm TN 784×128×8 @5"),
                products);
    }

    @ParameterizedTest
    @CsvSource({"lenet", "fashion_mlp"})
    void bothBackEndsGiveTheSameRows(String sample) {
        List<ProfileRow> bytecode = bySlot(profile(sample, Backend.BYTECODE, 1).profile());
        List<ProfileRow> java = bySlot(profile(sample, Backend.JAVA, 1).profile());
        assertEquals(bytecode.size(), java.size());
        for (int i = 0; i < java.size(); i++) {
            ProfileRow b = bytecode.get(i), j = java.get(i);
            assertEquals(List.of(b.kernel(), b.cost(), b.line(), b.source()), List.of(j.kernel(), j.cost(), j.line(), j.source()));
        }
    }

    /** Profiling changes no bit of training: three steps give the parameters and outputs of the plain trainer. */
    @ParameterizedTest
    @CsvSource({"lenet, bytecode", "fashion_mlp, java"})
    void theProfiledTrainerComputesThePlainBits(String sample, String backend) {
        Backend be = Backend.parse(backend);
        GeneratedModel profiled = profile(sample, be, 3).model();
        CompiledModel plain = SampleModules.stages(sample).compiled(be, BATCH, true, Numerics.Mode.ON);
        run(plain, 3);
        assertEquals(0, plain instanceof GeneratedModel g ? g.kernelNanos().length : -1, "the plain trainer times nothing");
        for (TensorSpec t : plain.info().tensors()) {
            if (t.role() == Role.INPUT || t.role() == Role.TARGET || t.dtype() != DType.F32) continue;
            float[] a = plain.floats(t.name()), b = profiled.floats(t.name());
            for (int k = 0; k < t.elementCount(BATCH); k++)
                assertEquals(Float.floatToIntBits(a[k]), Float.floatToIntBits(b[k]), t.name() + "[" + k + "]");
        }
    }

    /** The unprofiled class files mention neither the clock nor the timings (the golden-source tests pin them whole). */
    @Test
    void theDefaultClassIsNotProfiled() {
        Compilation c = SampleModules.stages("lenet");
        for (Map<String, byte[]> files : List.of(c.bytecodeClassFiles(true), c.javaClassFiles(true, false)))
            for (byte[] f : files.values()) {
                String text = new String(f, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("KernelClock") || text.contains("kernelNanos"), "an unprofiled class");
            }
        for (Map<String, byte[]> files : List.of(c.javaClassFiles(true, false, true)))
            assertTrue(files.values().stream().anyMatch(f -> new String(f, StandardCharsets.ISO_8859_1).contains("KernelClock")), "a profiled class");
    }

    @Test
    void theInterpreterCannotBeProfiled() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleModules.stages("fashion_mlp").profiled(Backend.INTERP, BATCH, true));
        assertTrue(e.getMessage().contains("java or bytecode"), e.getMessage());
    }

    @Test
    void jsonCarriesTheRows() {
        KernelProfile p = profile("fashion_mlp", Backend.BYTECODE, 2).profile();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(p.json().toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json.get("rows");
        assertEquals(p.rows().size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ProfileRow r = p.rows().get(i);
            Map<String, Object> j = rows.get(i);
            assertEquals(r.kernel(), j.get("kernel"));
            assertEquals(r.cost().kind(), j.get("kind"));
            assertEquals(r.cost().shape(), j.get("shape"));
            assertEquals((long) r.line(), j.get("line"));
            assertEquals(r.share(), ((Number) j.get("share_pct")).doubleValue(), 1e-9);
            assertEquals(r.nanosPerStep() / 1e3, ((Number) j.get("us_per_step")).doubleValue(), 1e-9);
        }
        assertEquals(p.kernelNanosPerStep() / 1e3, ((Number) json.get("kernel_sum_us")).doubleValue(), 1e-9);
        assertEquals("FashionMlp", json.get("model"));
    }

    @Test
    void timingsOfAnotherProgramAreRefused() {
        Compilation c = SampleModules.stages("fashion_mlp");
        assertThrows(IllegalArgumentException.class, () -> KernelProfile.of(new KernelProfile.Run("m", "java", 1, BATCH), c.program(), c.source(),
                new long[3], 1, 1, Double.NaN));
        assertEquals(ModelPlan.of(c.program()).entries().get(0).kernels().size(), c.program().entry("train").kernels().size());
    }
}
