package nnc.runtime.kernels;

/**
 * Which convolutions {@link DirectConv} and {@link DirectConvInput} compute and the workspace they need: pure geometry, kept out
 * of those Vector API classes so that sizing a workspace, at compile time or in a JVM
 * without {@code jdk.incubator.vector}, never loads it. The workspace is the same with or without
 * the module, so a trainer compiled in one JVM runs in the other.
 */
final class DirectConvShape {
    /** Wide positions per register block of {@link DirectConv}: two vectors. */
    static final int NQ = 16;
    private static final int L = 8;
    /** Images per group of {@link LaneConv}: the lanes of a vector. */
    static final int LANES = 8;

    private DirectConvShape() {}

    /** Stride 1, no dilation, one group, two output channels or more, and a wide output of at least one block. */
    static boolean applies(Conv2d.Geometry g) {
        return g.plain() && g.strideH() == 1 && g.strideW() == 1 && g.oc() >= 2 && g.oh() * (g.w() + 2 * g.padW()) >= NQ;
    }

    /** The padded image, then the forward's wide tile of up to 6 channels or the transposed dy and an 8×8 spill. */
    static int workspaceFloats(Conv2d.Geometry g) {
        return padded(g) + Math.max(6 * g.oh() * (g.w() + 2 * g.padW()), g.oh() * g.ow() * lanes(g) + 8 * L);
    }

    /** Floats of the padded image, with {@code kw} to spare for the wide output's last reads. */
    static int padded(Conv2d.Geometry g) {
        return g.c() * (g.h() + 2 * g.padH()) * (g.w() + 2 * g.padW()) + g.kw();
    }

    /** Per thread: a table of the patch rows' first reads (grown once, then reused, so nothing is allocated per step). */
    private static final ThreadLocal<int[][]> ROWS = ThreadLocal.withInitial(() -> new int[1][0]);

    /**
     * Where patch row {@code r = (ci, ky, kx)} starts reading the padded image, {@code ((ci·hp + ky)·wp + kx)·cell}, for every
     * {@code r}, in this thread's table (valid until its next call). The kernels' loops over the patch run flat through it:
     * nested loops over {@code (ci, ky, kx)} ran only {@code kw} iterations at a time, and C2 reloaded and rotated the
     * accumulators between them.
     */
    static int[] rowTable(Conv2d.Geometry g, int cell) {
        int[][] holder = ROWS.get();
        if (holder[0].length < g.patch()) holder[0] = new int[g.patch()];
        int[] rows = holder[0];
        int hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW(), r = 0;
        for (int ci = 0; ci < g.c(); ci++)
            for (int ky = 0; ky < g.kh(); ky++)
                for (int kx = 0; kx < g.kw(); kx++) rows[r++] = ((ci * hp + ky) * wp + kx) * cell;
        return rows;
    }

    /** Per thread: a table of the output pixels' cells. */
    private static final ThreadLocal<int[][]> PIXELS = ThreadLocal.withInitial(() -> new int[1][0]);

    /**
     * Where output pixel {@code p = (oy, ox)} sits in the padded image, {@code (oy·wp + ox)·cell}, for every pixel, in this
     * thread's table (valid until its next call): loops over the pixels run flat through it instead of per output row.
     */
    static int[] pixelTable(Conv2d.Geometry g, int cell) {
        int[][] holder = PIXELS.get();
        int ow = g.ow(), plane = g.oh() * ow, wp = g.w() + 2 * g.padW();
        if (holder[0].length < plane) holder[0] = new int[plane];
        int[] cells = holder[0];
        for (int p = 0; p < plane; p++) cells[p] = (p / ow * wp + p % ow) * cell;
        return cells;
    }

    /** Output channels rounded up to whole vectors: the row length of the transposed output gradient. */
    static int lanes(Conv2d.Geometry g) { return (g.oc() + L - 1) / L * L; }

    /** {@link DirectConvInput}: stride 1 on both axes, no dilation, one group (any padding and channel counts). */
    static boolean inputApplies(Conv2d.Geometry g) {
        return g.plain() && g.strideH() == 1 && g.strideW() == 1;
    }

    /** {@link DirectConvInput}'s workspace: the wide output gradient ({@link #inputSpan} floats per channel), then the padded input gradient with a block to spare. */
    static int inputWorkspaceFloats(Conv2d.Geometry g) {
        return g.oc() * inputSpan(g) + inputPadded(g);
    }

    /** Wide positions of one channel of {@link DirectConvInput}'s output gradient, rounded up to whole blocks. */
    static int inputSpan(Conv2d.Geometry g) { return (g.oh() * (g.w() + 2 * g.padW()) + NQ - 1) / NQ * NQ; }

    /** Floats of {@link DirectConvInput}'s padded input gradient: the tail's blocks write up to {@code kw + NQ} past it. */
    static int inputPadded(Conv2d.Geometry g) { return g.c() * (g.h() + 2 * g.padH()) * (g.w() + 2 * g.padW()) + g.kw() + NQ; }

    /** {@link LaneConv}: stride 1, no dilation, one group, and at least 4 output channels and patch rows (its register block). */
    static boolean lanesApply(Conv2d.Geometry g) {
        return g.plain() && g.strideH() == 1 && g.strideW() == 1 && g.oc() >= 4 && g.patch() >= 4;
    }

    /** Floats of {@link LaneConv}'s padded image of eight-float cells. */
    static int laneImageFloats(Conv2d.Geometry g) {
        return g.c() * (g.h() + 2 * g.padH()) * (g.w() + 2 * g.padW()) * LANES;
    }

    /** {@link LaneConv}'s workspace: the padded image, the output gradient of eight images, their per-image sums and one block's. */
    static int laneWorkspaceFloats(Conv2d.Geometry g) {
        return laneImageFloats(g) + g.oc() * (g.oh() * g.ow() + g.patch()) * LANES + 16 * LANES;
    }
}
