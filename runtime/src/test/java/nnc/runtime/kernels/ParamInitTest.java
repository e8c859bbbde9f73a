package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.testing.ArenaModel;
import org.junit.jupiter.api.Test;

class ParamInitTest {
    private static final class Params extends ArenaModel {
        Params(List<TensorSpec> tensors) { super(new ModelInfo("P", tensors, "loss", List.of()), 4); }
        @Override public void trainStep(int batch) {}
        @Override public void evaluate(int batch) {}
        @Override public void predict(int batch) {}
    }

    private static TensorSpec param(String name, Init init, int... dims) {
        return new TensorSpec(name, Role.PARAM, DType.F32, dims, init);
    }

    private static List<TensorSpec> tensors() {
        return List.of(
                new TensorSpec("x", Role.INPUT, DType.F32, new int[] {TensorSpec.BATCH, 3}, null),
                param("c", new Init.Constant(0.25), 2, 3),
                param("n", new Init.Normal(1, 0.5), 100, 100),
                param("u", new Init.Uniform(-2, 3), 50, 40),
                param("x1", new Init.Xavier(), 300, 100),
                param("h", new Init.He(), 200, 50),
                param("b", new Init.He(), 400),
                new TensorSpec("m", Role.STATE, DType.F32, new int[] {2, 3}, null),
                new TensorSpec("t", Role.STATE, DType.I32, new int[] {1}, null),
                new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null));
    }

    private static float[] values(ArenaModel m, String name) {
        int n = m.info().get(name).elementCount(m.maxBatch());
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = m.f(name, i);
        return v;
    }

    private static double[] meanStd(float[] v) {
        double s = 0, s2 = 0;
        for (float x : v) { s += x; s2 += (double) x * x; }
        double mean = s / v.length;
        return new double[] {mean, Math.sqrt(s2 / v.length - mean * mean)};
    }

    @Test
    void fillsEveryInitialiserWithTheRightDistribution() {
        Params m = new Params(tensors());
        ParamInit.initialize(m, 42);
        for (float v : values(m, "c")) assertEquals(0.25f, v);
        double[] n = meanStd(values(m, "n"));
        assertEquals(1.0, n[0], 0.02);
        assertEquals(0.5, n[1], 0.02);
        for (float v : values(m, "u")) assertTrue(v >= -2 && v < 3);
        assertEquals(0.5, meanStd(values(m, "u"))[0], 0.1);
        double a = Math.sqrt(6.0 / 400);
        float[] xav = values(m, "x1");
        for (float v : xav) assertTrue(Math.abs(v) <= a);
        assertEquals(a / Math.sqrt(3), meanStd(xav)[1], 0.05 * a);
        assertEquals(Math.sqrt(2.0 / 200), meanStd(values(m, "h"))[1], 0.005);
        assertEquals(Math.sqrt(2.0 / 400), meanStd(values(m, "b"))[1], 0.01);
        for (float v : values(m, "m")) assertEquals(0f, v);
        assertEquals(0, m.i("t", 0));
        assertTrue(m.floatGuardsIntact(), "wrote outside a tensor");
    }

    @Test
    void sameSeedSameBitsAndOtherParamsDoNotShiftValues() {
        Params a = new Params(tensors()), b = new Params(tensors());
        ParamInit.initialize(a, 7);
        ParamInit.initialize(b, 7);
        for (String p : List.of("n", "u", "x1", "h", "b")) assertArrayEquals(values(a, p), values(b, p));

        List<TensorSpec> more = new ArrayList<>(tensors());
        more.add(1, param("extra", new Init.Normal(0, 1), 17));
        Params c = new Params(more);
        ParamInit.initialize(c, 7);
        for (String p : List.of("n", "u", "x1", "h", "b")) assertArrayEquals(values(a, p), values(c, p), p);

        Params d = new Params(tensors());
        ParamInit.initialize(d, 8);
        assertFalse(Arrays.equals(values(a, "n"), values(d, "n")), "another seed must give other values");
        assertFalse(Arrays.equals(values(a, "h"), values(a, "b")));
    }

    @Test
    void fans() {
        assertEquals(3, ParamInit.fanIn(new int[] {3, 5}));
        assertEquals(5, ParamInit.fanOut(new int[] {3, 5}));
        assertEquals(7, ParamInit.fanIn(new int[] {7}));
        assertEquals(7, ParamInit.fanOut(new int[] {7}));
        assertEquals(6 * 5 * 5, ParamInit.fanIn(new int[] {6, 5, 5, 16}));
        assertEquals(16, ParamInit.fanOut(new int[] {6, 5, 5, 16}));
    }

    /** Q·Qᵀ (wide) or Qᵀ·Q (tall) is the identity to f32 precision, for square, tall, wide and rank-3 shapes. */
    @Test
    void orthogonalHasOrthonormalRowsOrColumns() {
        for (int[] dims : new int[][] {{64, 64}, {10, 3}, {3, 10}, {4, 2, 3}, {1, 5}}) {
            int rows = dims[0], cols = 1;
            for (int k = 1; k < dims.length; k++) cols *= dims[k];
            float[] a = new float[rows * cols];
            ParamInit.fill(a, 0, a.length, new Init.Orthogonal(), dims, ParamInit.random(7, "W"));
            boolean wide = rows < cols;
            int n = wide ? rows : cols, m = wide ? cols : rows;
            for (int p = 0; p < n; p++)
                for (int q = 0; q < n; q++) {
                    double dot = 0;
                    for (int k = 0; k < m; k++) dot += (double) (wide ? a[p * cols + k] : a[k * cols + p]) * (wide ? a[q * cols + k] : a[k * cols + q]);
                    assertEquals(p == q ? 1.0 : 0.0, dot, 1e-5, Arrays.toString(dims) + " entry " + p + "," + q);
                }
            float[] again = new float[a.length];
            ParamInit.fill(again, 0, a.length, new Init.Orthogonal(), dims, ParamInit.random(7, "W"));
            assertArrayEquals(a, again, "seeded");
            ParamInit.fill(again, 0, a.length, new Init.Orthogonal(), dims, ParamInit.random(8, "W"));
            assertFalse(Arrays.equals(a, again), "another seed gives another matrix");
        }
        assertEquals("orthogonal", new Init.Orthogonal().encode());
        assertEquals(new Init.Orthogonal(), Init.decode("orthogonal"));
    }
}
