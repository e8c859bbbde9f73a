package nnc.runtime.kernels;

/**
 * Convolution and pooling split over the {@link Parallelism} threads: a range of images (forward,
 * input gradient), of weight-gradient columns, or of pooling planes per part. Each output element is
 * computed by exactly the same operations whatever the ranges, so results are bitwise the same for
 * any thread count. Part 0 uses the caller's workspace; parts on other threads use a workspace kept
 * per thread. One task object per calling thread is reused, so a split call allocates nothing.
 */
final class SpatialSplit implements Parallelism.Part {
    /** Below this many multiply-adds a convolution runs on the calling thread only. */
    static final long CONV_MIN_WORK = 1L << 17;
    /** Below this many window reads a pooling runs on the calling thread only. */
    static final long POOL_MIN_WORK = 1L << 15;

    /** The routine a part runs. */
    enum Kind { CONV_FORWARD, CONV_BACKWARD_INPUT, CONV_BACKWARD_WEIGHT, MAX_FORWARD, MAX_BACKWARD, AVG_FORWARD, AVG_BACKWARD }

    private static final ThreadLocal<SpatialSplit> TASK = ThreadLocal.withInitial(SpatialSplit::new);
    private static final ThreadLocal<float[][]> WORKSPACE = ThreadLocal.withInitial(() -> new float[1][0]);

    private Kind kind;
    private Conv2d.Geometry conv;
    private Pool2d.Geometry pool;
    private int total, parts, aOff, bOff, outOff;
    private float[] a, b, out, work;

    /** Parts for a convolution split over {@code total} units (images or weight columns): 1 when small. */
    static int convParts(Conv2d.Geometry g, int total) {
        long work = (long) g.n() * g.oc() * g.patch() * g.oh() * g.ow();
        return parts(work, CONV_MIN_WORK, total);
    }

    /** Parts for a pooling split over its planes: 1 when small. */
    static int poolParts(Pool2d.Geometry g) {
        long work = (long) g.planes() * g.oh() * g.ow() * g.kh() * g.kw();
        return parts(work, POOL_MIN_WORK, g.planes());
    }

    private static int parts(long work, long minWork, int total) {
        if (work < minWork) return 1;
        return Math.max(1, Math.min(Parallelism.available(), total));
    }

    /** Runs {@code kind} over {@code [0, total)} in {@code parts} contiguous ranges. */
    static void run(Kind kind, int parts, Conv2d.Geometry conv, Pool2d.Geometry pool, int total,
                    float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, float[] work) {
        SpatialSplit t = TASK.get();
        t.kind = kind;
        t.conv = conv;
        t.pool = pool;
        t.total = total;
        t.parts = parts;
        t.a = a;
        t.aOff = aOff;
        t.b = b;
        t.bOff = bOff;
        t.out = out;
        t.outOff = outOff;
        t.work = work;
        try {
            Parallelism.run(parts, t);
        } finally {
            t.conv = null;
            t.pool = null;
            t.a = t.b = t.out = t.work = null;
        }
    }

    @Override
    public void run(int p) {
        int lo = (int) ((long) total * p / parts), hi = (int) ((long) total * (p + 1) / parts);
        if (lo == hi) return;
        switch (kind) {
            case CONV_FORWARD -> Conv2d.forwardImages(conv, a, aOff, b, bOff, out, outOff, workspace(p), lo, hi);
            case CONV_BACKWARD_INPUT -> Conv2d.backwardInputImages(conv, a, aOff, b, bOff, out, outOff, workspace(p), lo, hi);
            case CONV_BACKWARD_WEIGHT -> Conv2d.backwardWeightColumns(conv, a, aOff, b, bOff, out, outOff, workspace(p), lo, hi);
            default -> Pool2d.planes(kind, pool, a, aOff, b, bOff, out, outOff, lo, hi);
        }
    }

    /** The caller's workspace for part 0, else this thread's own (grown once, then reused). */
    private float[] workspace(int p) {
        if (p == 0) return work;
        float[][] holder = WORKSPACE.get();
        int size = conv.workspaceFloats();
        if (holder[0].length < size) holder[0] = new float[size];
        return holder[0];
    }
}
