package nnc.runtime.kernels;

/**
 * A batch of independent matrix products on row-major float arrays, {@code C_i = op(A_i) · op(B_i)}
 * for i = 0 .. batch−1: attention's {@code [b, h, t, k] @ [b, h, k, n]}. The i-th matrices are stored
 * one after another: A_i at {@code aOff + i·m·k}, B_i at {@code bOff + i·k·n}, C_i at {@code cOff + i·m·n}
 * (the transposes only change how each stored matrix is read, as in {@link Gemm}). Every element is
 * the FMA chain of {@link Gemm#matmul}'s exact result, so bitwise the same as a {@code Gemm} call per
 * product, for any thread count and any batch split: small products with B not transposed (one K
 * block, 8 to 256 columns, up to 256 rows) go through {@link BatchedGemmVectors} when vectors run,
 * which skips packing; the others are one {@code Gemm} call each (with B transposed, Gemm's
 * packing, which transposes B, measured faster than a transposed copy plus the unpacked kernel). With several threads ({@link Parallelism}) and enough
 * work, the batch is split into contiguous ranges of products, one range per thread.
 */
public final class BatchedGemm {
    private BatchedGemm() {}

    /** {@code C_i (m×n) = op(A_i) · op(B_i)} for each of the {@code batch} pairs. */
    public static void matmul(boolean transA, boolean transB, int batch, int m, int n, int k,
                              float[] a, float[] b, float[] c) {
        if (batch < 0) throw new IllegalArgumentException("negative batch " + batch);
        int parts = (int) Math.min(Math.min(batch, Parallelism.available()), Math.max(1, (long) batch * m * n * k / Gemm.PARALLEL_MIN_WORK));
        if (parts <= 1) {
            range(transA, transB, 0, batch, m, n, k, a, b, c);
            return;
        }
        BatchSplit split = SPLIT.get();
        split.set(transA, transB, batch, parts, m, n, k, a, b, c);
        try {
            Parallelism.run(parts, split);
        } finally {
            split.clear();
        }
    }

    /** Whether {@link BatchedGemmVectors} computes products of this shape. */
    static boolean small(boolean transB, int m, int n, int k) {
        return VectorSupport.AVAILABLE && !transB && k <= PackedGemm.KC && n >= 8 && n <= 256 && m <= 256;
    }

    /** Products {@code [i0, i1)} of the batch, in order. */
    static void range(boolean transA, boolean transB, int i0, int i1, int m, int n, int k, float[] a, float[] b, float[] c) {
        if (small(transB, m, n, k)) {
            BatchedGemmVectors.range(transA, i0, i1, m, n, k, a, b, c);
            return;
        }
        int strideA = m * k, strideB = k * n, strideC = m * n;
        for (int i = i0; i < i1; i++)
            Gemm.matmul(transA, transB, m, n, k, a, i * strideA, b, i * strideB, c, i * strideC);
    }

    /** One reusable task per calling thread, so a threaded batch allocates nothing. */
    private static final ThreadLocal<BatchSplit> SPLIT = ThreadLocal.withInitial(BatchSplit::new);

    /** The batch cut into {@code parts} contiguous ranges of products. */
    private static final class BatchSplit implements Parallelism.Part {
        private boolean transA, transB;
        private int batch, parts, m, n, k;
        private float[] a, b, c;

        void set(boolean transA, boolean transB, int batch, int parts, int m, int n, int k, float[] a, float[] b, float[] c) {
            this.transA = transA;
            this.transB = transB;
            this.batch = batch;
            this.parts = parts;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.b = b;
            this.c = c;
        }

        /** Drops the array references, so an idle task keeps no model alive. */
        void clear() { a = b = c = null; }

        @Override
        public void run(int p) {
            range(transA, transB, (int) ((long) batch * p / parts), (int) ((long) batch * (p + 1) / parts), m, n, k, a, b, c);
        }
    }
}
