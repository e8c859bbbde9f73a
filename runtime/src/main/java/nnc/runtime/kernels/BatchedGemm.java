package nnc.runtime.kernels;

/**
 * A batch of independent matrix products on row-major float arrays, {@code C_q = op(A_q) · op(B_q)}
 * for q = 0 .. batch−1: attention's {@code [b, h, t, k] @ [b, h, k, n]}. Each operand's q-th stored
 * matrix (A_q is m×k, or k×m read transposed; B_q k×n, or n×k; C_q m×n) starts at
 * {@code (q / heads)·outer + (q % heads)·inner}, its rows {@code row} elements apart and its columns
 * adjacent: so a product reads the heads of {@code [b, t, h, d]} in place (outer t·h·d, inner d,
 * row h·d) where a contiguous batch would need a transposing copy first (the compiler's
 * {@code matmul-views} pass folds those copies into these strides). The contiguous form
 * ({@link #matmul(boolean, boolean, int, int, int, int, float[], float[], float[])}) stores the
 * matrices one after another.
 *
 * <p>Every element is the FMA chain of {@link Gemm#matmul}'s exact result, so bitwise the same as a
 * {@code Gemm} call per product, for any thread count and any batch split: small products (one K
 * block, 8 to 256 columns, up to 256 rows; fewer with B transposed, {@link #small}) go through {@link BatchedGemmVectors} when vectors run,
 * which reads A and B in place (a transposed B through a per-thread transposed copy, 8×8 blocks in
 * registers: the encoder's Q·Kᵀ 1.4× faster than through Gemm's packing); the others are one
 * {@code Gemm} call each, on a contiguous scratch copy of an operand that is not stored
 * contiguously. With several threads ({@link Parallelism}) and enough work, the batch is
 * split into contiguous ranges of products, one range per thread.
 */
public final class BatchedGemm {
    private BatchedGemm() {}

    /** {@code C_i (m×n) = op(A_i) · op(B_i)} for each of the {@code batch} pairs, stored one after another. */
    public static void matmul(boolean transA, boolean transB, int batch, int m, int n, int k,
                              float[] a, float[] b, float[] c) {
        matmul(transA, transB, batch, 1, m, n, k, a, m * k, 0, transA ? m : k, b, k * n, 0, transB ? k : n, c, m * n, 0, n);
    }

    /**
     * {@code C_q = op(A_q) · op(B_q)} for q below {@code batch}, each matrix at
     * {@code (q / heads)·outer + (q % heads)·inner} of its array with rows {@code row} apart.
     */
    public static void matmul(boolean transA, boolean transB, int batch, int heads, int m, int n, int k,
                              float[] a, int aOuter, int aInner, int aRow,
                              float[] b, int bOuter, int bInner, int bRow,
                              float[] c, int cOuter, int cInner, int cRow) {
        if (batch < 0) throw new IllegalArgumentException("negative batch " + batch);
        if (heads < 1 || batch % heads != 0) throw new IllegalArgumentException("batch " + batch + " not a multiple of heads " + heads);
        BatchSplit split = SPLIT.get(); // the calling thread's task holds the layout, so a call allocates nothing
        Layout l = split.layout;
        l.set(transA, transB, heads, m, n, k, aOuter, aInner, aRow, bOuter, bInner, bRow, cOuter, cInner, cRow);
        int parts = (int) Math.min(Math.min(batch, Parallelism.available()), Math.max(1, (long) batch * m * n * k / Gemm.PARALLEL_MIN_WORK));
        if (parts <= 1) {
            range(l, 0, batch, a, b, c);
            return;
        }
        split.set(batch, parts, a, b, c);
        try {
            Parallelism.run(parts, split);
        } finally {
            split.clear();
        }
    }

    /**
     * Whether {@link BatchedGemmVectors} computes products of this shape. With B transposed only up
     * to 64 rows, 16 to 64 columns and k ≤ 64 (its transposed copy at most 16 KB). Against
     * {@code Gemm} per product, each shape in its own JVM, old and new jars alternating (branch qk,
     * BatchedGemmSpeed, medians of 3 runs' medians, loaded host): the encoder's strided 64 × 32×32×16
     * 72 → 54 µs; contiguous batches 64 × 32×32×16 54 → 49 µs, 64 × 64×64×64 743 → 621 µs, but
     * 16 × 128×128×64 494 → 593, 128×64×64 251 → 276, 64×128×64 302 → 347, 128×128×32 290 → 303,
     * 256×256×64 and 64×8×64 (one 8-lane chain per row) 1.2–1.5× slower.
     */
    static boolean small(boolean transB, int m, int n, int k) {
        if (!VectorSupport.AVAILABLE || k > PackedGemm.KC || n < 8 || n > 256 || m > 256) return false;
        return !transB || n >= 16 && n <= 64 && m <= 64 && k <= 64;
    }

    /** The shapes and strides of one batched product. */
    static final class Layout {
        boolean transA, transB;
        int heads, m, n, k, aOuter, aInner, aRow, bOuter, bInner, bRow, cOuter, cInner, cRow;

        void set(boolean transA, boolean transB, int heads, int m, int n, int k, int aOuter, int aInner, int aRow,
                 int bOuter, int bInner, int bRow, int cOuter, int cInner, int cRow) {
            this.transA = transA;
            this.transB = transB;
            this.heads = heads;
            this.m = m;
            this.n = n;
            this.k = k;
            this.aOuter = aOuter;
            this.aInner = aInner;
            this.aRow = aRow;
            this.bOuter = bOuter;
            this.bInner = bInner;
            this.bRow = bRow;
            this.cOuter = cOuter;
            this.cInner = cInner;
            this.cRow = cRow;
        }

        int a(int q) { return q / heads * aOuter + q % heads * aInner; }
        int b(int q) { return q / heads * bOuter + q % heads * bInner; }
        int c(int q) { return q / heads * cOuter + q % heads * cInner; }
    }

    /** Products {@code [q0, q1)} of the batch, in order. */
    static void range(Layout l, int q0, int q1, float[] a, float[] b, float[] c) {
        if (small(l.transB, l.m, l.n, l.k)) {
            BatchedGemmVectors.range(l, q0, q1, a, b, c);
            return;
        }
        int m = l.m, n = l.n, k = l.k;
        int aCols = l.transA ? m : k, aRows = l.transA ? k : m, bCols = l.transB ? k : n, bRows = l.transB ? n : k;
        boolean aDense = l.aRow == aCols, bDense = l.bRow == bCols, cDense = l.cRow == n;
        float[] sa = aDense ? null : Scratch.A.get(aRows * aCols), sb = bDense ? null : Scratch.B.get(bRows * bCols);
        float[] sc = cDense ? null : Scratch.C.get(m * n);
        for (int q = q0; q < q1; q++) {
            int ao = l.a(q), bo = l.b(q), co = l.c(q);
            if (!aDense) gather(a, ao, l.aRow, aRows, aCols, sa);
            if (!bDense) gather(b, bo, l.bRow, bRows, bCols, sb);
            Gemm.matmul(l.transA, l.transB, m, n, k, aDense ? a : sa, aDense ? ao : 0, bDense ? b : sb, bDense ? bo : 0,
                    cDense ? c : sc, cDense ? co : 0);
            if (!cDense) for (int i = 0; i < m; i++) System.arraycopy(sc, i * n, c, co + i * l.cRow, n);
        }
    }

    /** The rows×cols matrix at {@code off} with rows {@code row} apart, copied row-major into {@code to}. */
    static void gather(float[] from, int off, int row, int rows, int cols, float[] to) {
        if (VectorSupport.AVAILABLE && cols % 8 == 0 && cols <= 64) { // a head's rows of 16: see BatchedGemmVectors.gather
            BatchedGemmVectors.gather(from, off, row, rows, cols, to);
            return;
        }
        for (int i = 0; i < rows; i++) System.arraycopy(from, off + i * row, to, i * cols, cols);
    }

    /** Per-thread scratch arrays, grown to the largest size asked (so a step allocates nothing once warm). */
    static final class Scratch {
        static final Scratch A = new Scratch(), B = new Scratch(), C = new Scratch();
        private final ThreadLocal<float[]> arrays = ThreadLocal.withInitial(() -> new float[0]);

        float[] get(int size) {
            float[] x = arrays.get();
            if (x.length < size) arrays.set(x = new float[size]);
            return x;
        }
    }

    /** One reusable task per calling thread, so a threaded batch allocates nothing. */
    private static final ThreadLocal<BatchSplit> SPLIT = ThreadLocal.withInitial(BatchSplit::new);

    /** The batch cut into {@code parts} contiguous ranges of products. */
    private static final class BatchSplit implements Parallelism.Part {
        private final Layout layout = new Layout();
        private int batch, parts;
        private float[] a, b, c;

        void set(int batch, int parts, float[] a, float[] b, float[] c) {
            this.batch = batch;
            this.parts = parts;
            this.a = a;
            this.b = b;
            this.c = c;
        }

        /** Drops the array references, so an idle task keeps no model alive. */
        void clear() { a = b = c = null; }

        @Override
        public void run(int p) {
            range(layout, (int) ((long) batch * p / parts), (int) ((long) batch * (p + 1) / parts), a, b, c);
        }
    }
}
