package nnc.runtime.kernels;

import java.util.Arrays;

/**
 * Dense matrix multiply on row-major float arrays: {@code C = op(A) · op(B)}, C is m×n and is
 * overwritten. op(A) is m×k: A is stored m×k, or k×m when {@code transA}. op(B) is k×n: B is stored
 * k×n, or n×k when {@code transB}. C must not overlap A or B.
 *
 * <p><b>Exact result.</b> k is cut into blocks of {@code kb = PackedGemm.kBlock(k)} steps (the last
 * may be shorter; one block up to k = 256, 840 = 4 × 210). Each block is a fused-multiply-add chain
 * from zero, and the blocks' sums are added in order:
 * <pre>  for each block q:  t = +0f;  for p in block q:  t = Math.fma(op(A)[i][p], op(B)[p][j], t);
 *                     s = (q == 0) ? t : s + t;
 *  C[i][j] = s</pre>
 * Whatever the path (packed, direct, vector or scalar twin), every element is that sum, so C is a
 * pure function of the inputs: bitwise the same on every call, for every layout, independent of
 * the panel blocking, the vector width and the thread count. Generated code, the interpreter and
 * tests can all rely on that. The partial sums make long reductions (a weight gradient over
 * batch × time rows) more accurate than one chain: the rounding error of a chain grows with its
 * length.
 *
 * <p>Large products go through {@link PackedGemm} (packed panels, 6×16 register-blocked Vector API
 * micro-kernel, or its scalar twin without {@code jdk.incubator.vector}); those with a C 5 to 16 columns wide (an
 * output layer's X·W and Xᵀ·dY) through {@link NarrowGemm}, which keeps a row's columns in registers and
 * packs nothing; small ones through the direct loops here, which skip packing;
 * those whose op(A) is mostly exact zeros (an image batch, a ReLU activation) through {@link ZeroSkipGemm},
 * which runs each chain over op(A)'s non-zero k only (the same bits for finite op(B); {@link #skipsZeros}). Products of at least
 * {@link #PARALLEL_MIN_WORK} multiply-adds are split over {@link Parallelism#available()} threads,
 * with no allocation: by rows of C when C has more rows than columns (a weight gradient Aᵀ·B, a
 * product with few columns), else by columns; since every element is still its own sum of chains,
 * the result is bitwise the same for any number of threads.
 */
public final class Gemm {
    /** Below this many multiply-adds the direct loops beat packing (measured: packing wins from ~8×8×8 up). */
    static final long DIRECT_MAX_WORK = 512;
    /** C narrower than this is a matrix-vector product: 16-wide panels would waste most of their lanes. */
    static final int DIRECT_MAX_COLUMNS = 4;

    private Gemm() {}

    /** {@code C (m×n) = op(A) · op(B)}; see the class comment for layouts and the exact result. */
    public static void matmul(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative size " + m + "×" + n + "×" + k);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        if (useDirect(m, n, k)) {
            direct(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
            return;
        }
        int parts = parts(m, n, k, Parallelism.available());
        boolean narrow = narrow(m, n);
        boolean sparse = !narrow && skipsZeros(transA, m, n, k, a, aOff);
        if (parts == 1) {
            if (narrow) NarrowGemm.multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, 0, m);
            else if (sparse) ZeroSkipGemm.multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, 0, m, 0, n);
            else PackedGemm.multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
            return;
        }
        Split split = SPLIT.get();
        boolean rows = splitsRows(m, n);
        split.set(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, rows, rows ? rowsPerPart(m, parts) : columnsPerPart(n, parts), sparse, narrow && rows);
        try {
            Parallelism.run(parts, split);
        } finally {
            split.clear();
        }
    }

    /** One reusable task per calling thread, so a threaded product allocates nothing. */
    private static final ThreadLocal<Split> SPLIT = ThreadLocal.withInitial(Split::new);

    /** A product split into row ranges of C ({@code width} rows per part) or column ranges ({@code width} columns, whole panels). */
    private static final class Split implements Parallelism.Part {
        private boolean transA, transB, rows, sparse, narrow;
        private int m, n, k, aOff, bOff, cOff, width;
        private float[] a, b, c;

        void set(boolean transA, boolean transB, int m, int n, int k,
                 float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean rows, int width, boolean sparse, boolean narrow) {
            this.transA = transA;
            this.sparse = sparse;
            this.narrow = narrow;
            this.rows = rows;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.b = b;
            this.bOff = bOff;
            this.c = c;
            this.cOff = cOff;
            this.width = width;
        }

        /** Drops the array references, so an idle task keeps no model alive. */
        void clear() {
            a = b = c = null;
        }

        @Override
        public void run(int p) {
            int from = p * width;
            int to = Math.min(rows ? m : n, from + width);
            if (from >= to) return;
            int i0 = rows ? from : 0, i1 = rows ? to : m, j0 = rows ? 0 : from, j1 = rows ? n : to;
            if (narrow) NarrowGemm.multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, i0, i1);
            else if (sparse) ZeroSkipGemm.multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, i0, i1, j0, j1);
            else PackedGemm.multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, i0, i1, j0, j1);
        }
    }

    /**
     * Below this many multiply-adds (2²⁴, about 0.2 ms on one core) a product runs on the calling
     * thread only (system property {@code nnc.parallelMinWork}; the tests use 2²⁰ so that small
     * models split too). At 2²⁰, two threads were slower than one on this 2-core machine for the
     * smaller models, in one alternating run: fashion_mlp at batch 32 87 k against 119 k samples/s,
     * char_rnn 32 k against 38 k, the encoder block 4.4 k against 5.4 k (its 8.4 M products did not
     * gain from a split either); at 2²⁴ they run as on one thread and the 784-512-512-10 MLP
     * (products of 16.8–25.7 M) still gains 1.45×. With the weight gradient split by rows instead
     * of columns, fashion_mlp at batch 32 and 2²⁰ still lost to one thread (best of 300 rounds of 10
     * steps, on a loaded machine: 259–270 µs per step against 212–233), probably the hand-off: between
     * products the worker has parked (after {@code Parallelism.SPIN_NANOS}) and must be woken.
     */
    static final long PARALLEL_MIN_WORK = Long.getLong("nnc.parallelMinWork", 1L << 24);

    /**
     * How many row or column ranges of C a packed product is split into: one per thread, each at
     * least two 6-row or 16-column panels wide, and 1 for small products. Any split gives the same bits.
     */
    static int parts(int m, int n, int k, int threads) {
        if (threads <= 1 || (long) m * n * k < PARALLEL_MIN_WORK) return 1;
        int units = splitsRows(m, n) ? m / (2 * PackedGemm.MR) : n / (2 * PackedGemm.NR);
        return Math.max(1, Math.min(threads, units));
    }

    /**
     * Whether a split cuts C's rows rather than its columns. Each part packs the whole of the operand
     * it does not cut: op(B) (k×n) for a row split, op(A) (m×k) for a column split; with more rows than
     * columns op(B) is the smaller (a weight gradient 784×128 over a batch packs 32×128 per part, not
     * 784×32), and a narrow product (n = 10) still splits.
     */
    static boolean splitsRows(int m, int n) { return m > n; }

    /** Height of each row range: {@code m / parts} rounded up to whole 6-row panels. */
    static int rowsPerPart(int m, int parts) {
        int h = (m + parts - 1) / parts;
        return (h + PackedGemm.MR - 1) / PackedGemm.MR * PackedGemm.MR;
    }

    /** Width of each column range: {@code n / parts} rounded up to whole 16-column panels. */
    static int columnsPerPart(int n, int parts) {
        int w = (n + parts - 1) / parts;
        return (w + PackedGemm.NR - 1) / PackedGemm.NR * PackedGemm.NR;
    }

    /** Whether the zero-skipping path can run: it is Vector API code (fixed for the JVM, so the JIT folds the test). */
    private static final boolean ZERO_SKIP = VectorSupport.AVAILABLE;
    /** Narrower C stays dense: the zero-skipping path computes 32 columns at a time. */
    static final int ZERO_SKIP_MIN_COLUMNS = 32;
    /** Values of op(A) sampled first: if none of them is zero, A is taken as dense without counting the rest. */
    static final int ZERO_SKIP_SAMPLE = 256;
    /**
     * Highest fraction of non-zeros of op(A) for which {@link ZeroSkipGemm} is taken: the density where
     * the two paths cost the same, with a margin, found with {@code ZeroSkipSpeed} (benchmarks; one
     * core, dense and zero-skipping rounds alternating in one JVM, median of 15 rounds of thread CPU
     * time, non-zeros scattered at random) against the dense path with its load fences (commit
     * a50abaf): 64×512×784 NN 651 against 512 µs at 0.4, 652 / 579 at 0.5, 646 / 648 at 0.6; Aᵀ·B
     * 784×512×64 625 / 537 at 0.4, 627 / 620 at 0.5; 64×512×512 NN 413 / 367 at 0.4, 417 / 434 at 0.5;
     * Aᵀ·B 512×512×64 396 / 354 at 0.39; A·Bᵀ 64×512×512 473 / 409 at 0.4, 480 / 468 at 0.5; Aᵀ·B
     * 784×128×32 88 / 81 at 0.4, 87 / 91 at 0.49. 32×128×784 NN, where the dense path reads A in place
     * ({@link PackedGemm#readsAInPlace}), breaks even at ~0.4 (0.3: 76 against 87 µs). Fashion-MNIST
     * images (density ~0.5) and ReLU activations (~0.5) sit at the break-even point and stay dense;
     * sparser inputs (MNIST's digits, ~0.19) take the zero-skipping path.
     */
    static final double ZERO_SKIP_MAX_DENSITY_IN_PLACE = 0.35, ZERO_SKIP_MAX_DENSITY = 0.45, ZERO_SKIP_MAX_DENSITY_TN = 0.45;

    /**
     * Whether {@link ZeroSkipGemm} computes this product (the same bits as the dense path for finite
     * op(B); see there): when op(A)'s fraction of non-zero values is at most the threshold for its
     * layout and shape, counted over the whole of A (one vector pass, 1–3 µs for a 784-feature batch)
     * after a sample of its first values has shown a zero. A function of the shape and of A's values
     * only, decided before the product is split over threads, so a given input always takes the same path.
     */
    static boolean skipsZeros(boolean transA, int m, int n, int k, float[] a, int aOff) {
        if (!ZERO_SKIP || n < ZERO_SKIP_MIN_COLUMNS) return false;
        int size = m * k, sample = Math.min(size, ZERO_SKIP_SAMPLE);
        if (ZeroSkipGemm.nonZeros(a, aOff, sample) == sample) return false;
        double max = transA ? ZERO_SKIP_MAX_DENSITY_TN
                : PackedGemm.readsAInPlace(false, m, Math.min(n, PackedGemm.NC)) ? ZERO_SKIP_MAX_DENSITY_IN_PLACE : ZERO_SKIP_MAX_DENSITY;
        return ZeroSkipGemm.nonZeros(a, aOff, size) <= max * size;
    }

    /**
     * Whether {@link NarrowGemm} computes a product whose C is m×n ({@link NarrowGemm#computes}: 5 ≤ n ≤ 16,
     * a function of the shape only). Split over threads by rows, never by columns: a C this narrow has no
     * two 16-column panels, so {@link #parts} splits it by rows or not at all.
     * System property {@code nnc.narrowGemm=off} turns it off, for A/B measurements (same bits either way).
     */
    static boolean narrow(int m, int n) {
        return NARROW && NarrowGemm.computes(m, n);
    }

    private static final boolean NARROW = !"off".equals(System.getProperty("nnc.narrowGemm"));

    /** The path choice: a function of the shape only (both paths give the same bits anyway). */
    static boolean useDirect(int m, int n, int k) {
        return n < DIRECT_MAX_COLUMNS || (long) m * n * k < DIRECT_MAX_WORK;
    }

    /**
     * Scalar FMA chains, any layout, four rows at a time so four independent chains keep the FMA
     * units busy: for tiny shapes and for C with fewer than 4 columns (matrix-vector products). The
     * K blocks of {@link PackedGemm#kBlock} each start a chain from zero; their sums are added in order.
     */
    static void direct(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        int aStep = transA ? m : 1;
        int aRow = transA ? 1 : k;
        int bStep = transB ? 1 : n;
        int bCol = transB ? k : 1;
        int kb = PackedGemm.kBlock(k);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * aRow;
            int ci = cOff + i * n;
            for (int j = 0; j < n; j++) {
                int bp = bOff + j * bCol;
                int ap = a0;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int p0 = 0; p0 < k; p0 += kb) {
                    float t0 = 0f, t1 = 0f, t2 = 0f, t3 = 0f;
                    for (int p = p0, end = Math.min(k, p0 + kb); p < end; p++, ap += aStep, bp += bStep) {
                        float bv = b[bp];
                        t0 = Math.fma(a[ap], bv, t0);
                        t1 = Math.fma(a[ap + aRow], bv, t1);
                        t2 = Math.fma(a[ap + 2 * aRow], bv, t2);
                        t3 = Math.fma(a[ap + 3 * aRow], bv, t3);
                    }
                    if (p0 == 0) {
                        s0 = t0;
                        s1 = t1;
                        s2 = t2;
                        s3 = t3;
                    } else {
                        s0 += t0;
                        s1 += t1;
                        s2 += t2;
                        s3 += t3;
                    }
                }
                c[ci + j] = s0;
                c[ci + n + j] = s1;
                c[ci + 2 * n + j] = s2;
                c[ci + 3 * n + j] = s3;
            }
        }
        for (; i < m; i++) {
            int a0 = aOff + i * aRow;
            int ci = cOff + i * n;
            for (int j = 0; j < n; j++) {
                int bp = bOff + j * bCol;
                int ap = a0;
                float s = 0f;
                for (int p0 = 0; p0 < k; p0 += kb) {
                    float t = 0f;
                    for (int p = p0, end = Math.min(k, p0 + kb); p < end; p++, ap += aStep, bp += bStep) t = Math.fma(a[ap], b[bp], t);
                    s = p0 == 0 ? t : s + t;
                }
                c[ci + j] = s;
            }
        }
    }
}
