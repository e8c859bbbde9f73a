package nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution forward with eight images side by side in a vector's lanes, for geometries
 * where {@link DirectConv}'s wide output wastes much of its work: that kernel computes
 * {@code oh × wp} positions for {@code oh × ow} outputs (LeNet's second layer: 140 for 100), this one
 * exactly the outputs. A group of eight images is transposed into {@link LaneConv}'s zero-padded
 * image of eight-float cells ({@code [ci][y][x][image]}); a register block is 4 output channels × 2
 * output positions, each position reading its own cell, so blocks may straddle output rows; the
 * results go to a tile of cells ({@code [o][pixel][image]}) that is transposed back into {@code y}.
 * Images past the last whole group of eight go to {@link DirectConv}.
 *
 * <p>Each lane runs exactly {@link DirectConv}'s chain for its image, {@code s = +0; s = fma(w[o, r],
 * x[r, pixel], s)} over the patch rows {@code r = (ci, ky, kx)} in order, so results are bitwise the
 * im2col + {@link Gemm} ones under the same condition ({@link Conv2d#direct}: the patch is one K block).
 * The last block of channels or positions overlaps the one before instead of running short and
 * recomputes its chains with the same operations, so the same bits.
 *
 * <p>Which geometries: {@link Conv2d#laneForward}; the workspace (the padded image and the tile) fits
 * in {@link DirectConvShape#laneWorkspaceFloats}.
 */
final class LaneConvForward {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = DirectConvShape.LANES;
    /** Output channels and positions per register block. */
    static final int CHANNELS = 4, POSITIONS = 2;
    /** Gather indices of one image's lane in eight consecutive cells. */
    private static final int[] LANE = {0, L, 2 * L, 3 * L, 4 * L, 5 * L, 6 * L, 7 * L};

    private LaneConvForward() {}

    /** Images {@code [i0, i1)} of {@link Conv2d#forward}: whole groups of eight here, the rest by {@link DirectConv}. */
    static void forwardImages(Conv2d.Geometry g, float[] x, int xOff, float[] wt, int wOff, float[] y, int yOff, float[] work, int i0, int i1) {
        int oc = g.oc(), plane = g.oh() * g.ow(), outImage = oc * plane, tile = DirectConvShape.laneImageFloats(g);
        int whole = i0 + (i1 - i0) / L * L;
        if (whole > i0) Arrays.fill(work, 0, tile, 0f);
        int[] rows = DirectConvShape.rowTable(g, L);
        for (int i = i0; i < whole; i += L) {
            LaneConv.packImages(g, x, xOff, i, L, work);
            for (int o = 0; ; o += CHANNELS) {
                if (o > oc - CHANNELS) o = oc - CHANNELS;
                for (int p = 0; ; p += POSITIONS) {
                    if (p > plane - POSITIONS) p = plane - POSITIONS;
                    block(g, work, wt, wOff + o * g.patch(), o, p, tile, rows);
                    if (p == plane - POSITIONS) break;
                }
                if (o == oc - CHANNELS) break;
            }
            unpack(work, tile, outImage, y, yOff + i * outImage);
        }
        if (whole < i1) DirectConv.forwardImages(g, x, xOff, wt, wOff, y, yOff, work, whole, i1);
    }

    /** Cell of the padded image where output position {@code p}'s window starts: {@code oy·wp + ox}, in floats. */
    private static int cell(Conv2d.Geometry g, int p) {
        int ow = g.ow(), wp = g.w() + 2 * g.padW();
        return (p / ow * wp + p % ow) * L;
    }

    /**
     * Output channels {@code o..o+3} (weights from {@code wi}) at positions {@code p, p+1}, eight images each, into the tile
     * at {@code ti}, in one flat loop over the patch rows ({@link DirectConvShape#rowTable}). Eight
     * accumulators: a 4 × 3 block (twelve, with three inputs and a weight: all sixteen registers) had C2 spill two
     * inputs to the stack and reload them in the loop, and ran at a third of this block's speed.
     */
    private static void block(Conv2d.Geometry g, float[] t, float[] wt, int wi, int o, int p, int ti, int[] rows) {
        int patch = g.patch();
        int x0 = cell(g, p), x1 = cell(g, p + 1);
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
        for (int r = 0; r < patch; r++) {
            int at = rows[r];
            FloatVector b0 = FloatVector.fromArray(S, t, x0 + at);
            FloatVector b1 = FloatVector.fromArray(S, t, x1 + at);
            FloatVector a = FloatVector.broadcast(S, wt[wi + r]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, wt[wi + patch + r]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, wt[wi + 2 * patch + r]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, wt[wi + 3 * patch + r]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
        }
        int plane = g.oh() * g.ow(), at = ti + (o * plane + p) * L, step = plane * L;
        c00.intoArray(t, at);
        c01.intoArray(t, at + L);
        c10.intoArray(t, at + step);
        c11.intoArray(t, at + step + L);
        c20.intoArray(t, at + 2 * step);
        c21.intoArray(t, at + 2 * step + L);
        c30.intoArray(t, at + 3 * step);
        c31.intoArray(t, at + 3 * step + L);
    }

    /** {@code y[dst + j·outImage + e] = t[ti + e·L + j]}: the tile's eight images back to NCHW, eight outputs per gather. */
    private static void unpack(float[] t, int ti, int outImage, float[] y, int dst) {
        int bound = outImage / L * L;
        for (int j = 0; j < L; j++) {
            int to = dst + j * outImage, e = 0;
            for (; e < bound; e += L) FloatVector.fromArray(S, t, ti + e * L + j, LANE, 0).intoArray(y, to + e);
            for (; e < outImage; e++) y[to + e] = t[ti + e * L + j];
        }
    }
}
