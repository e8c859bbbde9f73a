package nnc.runtime.kernels;

/**
 * Support for sums over many rows that generated kernels add in blocks: each block of
 * {@link #BLOCK} rows is summed from 0 into a partial array, which is then added to the output. Every
 * output element's error then grows with (rows / BLOCK + BLOCK) additions instead of with the row
 * count, as a single running chain does (a bias's gradient over batch × time).
 */
public final class BlockedSums {
    private BlockedSums() {}

    /** Rows per block. */
    public static final int BLOCK = 64;

    private static final ThreadLocal<float[][]> PARTIALS = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /**
     * The calling thread's partial sums, at least {@code n} floats: allocated when a kernel first
     * needs more than before, so a step allocates nothing once every kernel has run. One reduction
     * uses it at a time on a thread; the caller fills it before use.
     */
    public static float[] partials(int n) {
        float[][] holder = PARTIALS.get();
        if (holder[0].length < n) holder[0] = new float[n];
        return holder[0];
    }

    /** {@code out[k] += part[k]} for k in [0, n): a block's partial sums added to the output. */
    public static void addInto(float[] out, float[] part, int n) {
        for (int k = 0; k < n; k++) out[k] += part[k];
    }
}
