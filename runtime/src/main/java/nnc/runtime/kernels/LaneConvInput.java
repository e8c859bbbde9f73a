package nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution input gradient with eight images side by side in a vector's lanes, for the
 * geometries where {@link DirectConvInput}'s wide output gradient wastes much of its work (it computes
 * {@code oh × wp} positions, rounded up to whole blocks, for {@code oh × ow} outputs: LeNet's second
 * layer 144 for 100). A group of eight images' output gradient is transposed into cells of eight
 * ({@code [pixel][o][image]}, and the weights into {@code [channel block][tap][o][4 channels]}, so
 * that a chain over the output channels reads both in order) and the input gradient is summed in a
 * zero-padded image of cells ({@code [ci][y][x][image]}), then transposed back into {@code dx}.
 * Images past the last whole group of eight go to {@link DirectConvInput}.
 *
 * <p>Each lane does exactly {@link DirectConvInput}'s arithmetic for its image: for each input channel
 * block, for each {@code (ky, kx)} in order, every output pixel's entry {@code s = +0; s = fma(w[o, r],
 * dy[o, pixel], s)} over the output channels in order is added to the padded gradient at the pixel's
 * cell plus {@code (ky, kx)}; an input element's entries thus arrive in increasing {@code (ky, kx)}
 * order, as col2im adds them, so results are bitwise the im2col path's. Blocks never overlap (an entry
 * added twice would change the sum): a register block is 4 input channels × 2 pixels, and the last
 * block of channels or pixels computes its missing ones from the first one's operands and drops them.
 *
 * <p>Which geometries: {@link Conv2d#laneInputGradient}; the workspace (the padded gradient and the
 * transposed output gradient and weights) fits in {@link DirectConvShape#laneWorkspaceFloats}.
 */
final class LaneConvInput {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = DirectConvShape.LANES;
    /** Input channels and pixels per register block. */
    private static final int CHANNELS = 4, PIXELS = 2;
    /** Gather indices of one image's lane in eight consecutive cells. */
    private static final int[] LANE = {0, L, 2 * L, 3 * L, 4 * L, 5 * L, 6 * L, 7 * L};

    private LaneConvInput() {}

    /** Images {@code [i0, i1)} of {@link Conv2d#backwardInput}: whole groups of eight here, the rest by {@link DirectConvInput}. */
    static void backwardInputImages(Conv2d.Geometry g, float[] dy, int dyOff, float[] wt, int wOff, float[] dx, int dxOff, float[] work, int i0, int i1) {
        int c = g.c(), oc = g.oc(), plane = g.oh() * g.ow(), outImage = oc * plane, inImage = c * g.h() * g.w();
        int window = g.kh() * g.kw(), wp = g.w() + 2 * g.padW(), dt = DirectConvShape.laneImageFloats(g), wq = dt + outImage * L;
        int whole = i0 + (i1 - i0) / L * L;
        if (whole > i0) packWeights(g, wt, wOff, work, wq);
        int[] cells = DirectConvShape.pixelTable(g, L);
        for (int i = i0; i < whole; i += L) {
            Arrays.fill(work, 0, dt, 0f);
            packGradient(g, dy, dyOff + i * outImage, work, dt);
            for (int ci = 0; ci < c; ci += CHANNELS) {
                int channels = Math.min(CHANNELS, c - ci);
                for (int tap = 0; tap < window; tap++) {
                    int shift = (tap / g.kw() * wp + tap % g.kw()) * L;
                    pixels(g, work, dt, wq + (ci * window + tap * CHANNELS) * oc, channels, ci, cells, shift);
                }
            }
            unpack(g, work, dx, dxOff + i * inImage, inImage);
        }
        if (whole < i1) DirectConvInput.backwardInputImages(g, dy, dyOff, wt, wOff, dx, dxOff, work, whole, i1);
    }

    /**
     * The weights as {@code [channel block][tap][o][4 channels]} at {@code wq}, so that a block's chain reads them in order
     * (no range check per read: they are affine in the output channel); a block's missing channels repeat its first.
     */
    private static void packWeights(Conv2d.Geometry g, float[] wt, int wOff, float[] t, int wq) {
        int c = g.c(), oc = g.oc(), window = g.kh() * g.kw(), patch = g.patch();
        for (int ci = 0; ci < c; ci += CHANNELS)
            for (int tap = 0; tap < window; tap++)
                for (int o = 0; o < oc; o++)
                    for (int k = 0; k < CHANNELS; k++) {
                        int channel = ci + k < c ? ci + k : ci;
                        t[wq + ((ci * window + tap * CHANNELS) * oc) + o * CHANNELS + k] = wt[wOff + o * patch + channel * window + tap];
                    }
    }

    /** Per thread: the gather indices of eight images' same output-gradient element. */
    private static final ThreadLocal<int[]> IMAGES = ThreadLocal.withInitial(() -> new int[L]);

    /** Eight images' output gradient from {@code src} as cells {@code [pixel][o][image]} at {@code dt}: a chain over o reads them in order. */
    private static void packGradient(Conv2d.Geometry g, float[] dy, int src, float[] t, int dt) {
        int oc = g.oc(), plane = g.oh() * g.ow(), outImage = oc * plane;
        int[] map = IMAGES.get();
        for (int j = 0; j < L; j++) map[j] = j * outImage;
        for (int o = 0; o < oc; o++)
            for (int p = 0; p < plane; p++) FloatVector.fromArray(S, dy, src + o * plane + p, map, 0).intoArray(t, dt + (p * oc + o) * L);
    }

    /**
     * Input channels {@code ci..ci+channels-1} at one tap (packed weights from {@code wq}) for every pixel, two at a time:
     * each entry's chain over the output channels, added to the padded gradient at the pixel's cell plus {@code shift}.
     * Missing channels, and the missing pixel of an odd count, repeat the first one's operands and are not added.
     */
    private static void pixels(Conv2d.Geometry g, float[] t, int dt, int wq, int channels, int ci, int[] cells, int shift) {
        int oc = g.oc(), plane = g.oh() * g.ow(), run = oc * L;
        int chan = (g.h() + 2 * g.padH()) * (g.w() + 2 * g.padW()) * L;
        for (int p = 0; p < plane; p += PIXELS) {
            boolean pair = p + 1 < plane;
            int d0 = dt + p * run, d1 = pair ? d0 + run : d0;
            FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
            for (int o = 0; o < oc; o++) {
                FloatVector b0 = FloatVector.fromArray(S, t, d0 + o * L), b1 = FloatVector.fromArray(S, t, d1 + o * L);
                int w = wq + o * CHANNELS;
                FloatVector a = FloatVector.broadcast(S, t[w]);
                c00 = a.fma(b0, c00);
                c01 = a.fma(b1, c01);
                a = FloatVector.broadcast(S, t[w + 1]);
                c10 = a.fma(b0, c10);
                c11 = a.fma(b1, c11);
                a = FloatVector.broadcast(S, t[w + 2]);
                c20 = a.fma(b0, c20);
                c21 = a.fma(b1, c21);
                a = FloatVector.broadcast(S, t[w + 3]);
                c30 = a.fma(b0, c30);
                c31 = a.fma(b1, c31);
            }
            int x0 = ci * chan + cells[p] + shift, x1 = pair ? ci * chan + cells[p + 1] + shift : -1;
            // Spelled out: a vector passed to a method the JIT does not inline would be boxed.
            FloatVector.fromArray(S, t, x0).add(c00).intoArray(t, x0);
            if (pair) FloatVector.fromArray(S, t, x1).add(c01).intoArray(t, x1);
            if (channels > 1) {
                FloatVector.fromArray(S, t, x0 + chan).add(c10).intoArray(t, x0 + chan);
                if (pair) FloatVector.fromArray(S, t, x1 + chan).add(c11).intoArray(t, x1 + chan);
            }
            if (channels > 2) {
                FloatVector.fromArray(S, t, x0 + 2 * chan).add(c20).intoArray(t, x0 + 2 * chan);
                if (pair) FloatVector.fromArray(S, t, x1 + 2 * chan).add(c21).intoArray(t, x1 + 2 * chan);
            }
            if (channels > 3) {
                FloatVector.fromArray(S, t, x0 + 3 * chan).add(c30).intoArray(t, x0 + 3 * chan);
                if (pair) FloatVector.fromArray(S, t, x1 + 3 * chan).add(c31).intoArray(t, x1 + 3 * chan);
            }
        }
    }

    /** The padded gradient's interior back to eight images of {@code dx} (NCHW from {@code dst}), eight floats per gather. */
    private static void unpack(Conv2d.Geometry g, float[] t, float[] dx, int dst, int inImage) {
        int h = g.h(), w = g.w(), hp = h + 2 * g.padH(), wp = w + 2 * g.padW(), bound = w / L * L;
        for (int ci = 0; ci < g.c(); ci++)
            for (int iy = 0; iy < h; iy++) {
                int from = ((ci * hp + iy + g.padH()) * wp + g.padW()) * L, to = dst + (ci * h + iy) * w;
                for (int j = 0; j < L; j++, to += inImage) {
                    int x = 0;
                    for (; x < bound; x += L) FloatVector.fromArray(S, t, from + x * L + j, LANE, 0).intoArray(dx, to + x);
                    for (; x < w; x++) dx[to + x] = t[from + x * L + j];
                }
            }
    }
}
