package nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolution weight gradient with eight images side by side in a vector's lanes. A group
 * of eight images is transposed once into a zero-padded image of eight-float cells
 * ({@code [ci][y][x][image]}) and its output gradient likewise ({@code [o][pixel][image]}), so every
 * fused multiply-add of a register block does useful work whatever the channel count (the
 * channel-lane kernel of {@link DirectConv} leaves 2 of 8 lanes idle with 6 output channels and
 * broadcasts one input per multiply-add).
 *
 * <p>Each lane runs exactly the chains {@link DirectConv} runs for its image, so results are
 * bitwise the im2col + {@link Gemm} ones: per image, one chain {@code s = +0; s = fma(dy[o, pixel],
 * col[r, pixel], s)} from zero per K block of pixels ({@link PackedGemm#kBlock}), the blocks' sums
 * added in order, then the images' sums added into {@code dw} in increasing image order. Register
 * blocks are 4 output channels × 2 patch rows (3 × 3 when the channel count is a multiple of three, not of four);
 * the last block of a range overlaps the one before instead of running short, and recomputes its
 * chains with the same operations, so the same bits.
 * Lanes past the last image read zeros and are dropped.
 *
 * <p>Which geometries and the workspace: {@link DirectConvShape#lanesApply}, {@link DirectConvShape#laneWorkspaceFloats}.
 */
final class LaneConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    /** Images per group: the lanes of a vector. */
    static final int L = DirectConvShape.LANES;
    /** Output channels and patch rows per register block ({@link #weightBlock}), and both of {@link #weightBlock3}. */
    private static final int B = 4, TWO = 2, THREE = 3;

    private LaneConv() {}

    /**
     * Columns {@code [r0, r1)} of {@link Conv2d#backwardWeight}: per group of eight images, every
     * block's per-image sums into the workspace, then added into {@code dw} image by image.
     */
    static void backwardWeightColumns(Conv2d.Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, float[] work, int r0, int r1) {
        int oc = g.oc(), plane = g.oh() * g.ow(), outImage = oc * plane, patch = g.patch(), rows = r1 - r0;
        int dt = DirectConvShape.laneImageFloats(g), sums = dt + outImage * L;
        int[] cells = DirectConvShape.pixelTable(g, L);
        Arrays.fill(work, 0, dt, 0f);
        for (int i = 0; i < g.n(); i += L) {
            int count = Math.min(L, g.n() - i);
            packImages(g, x, xOff, i, count, work);
            interleave(dy, dyOff + i * outImage, outImage, count, outImage, work, dt);
            if (oc % THREE == 0 && oc % B != 0) {
                for (int o = 0; o < oc; o += THREE)
                    for (int r = r0; ; r += THREE) {
                        if (r > r1 - THREE) r = r1 - THREE;
                        weightBlock3(g, work, dt, o, r, sums + ((o * rows) + r - r0) * L, rows, cells);
                        if (r == r1 - THREE) break;
                    }
            } else for (int o = 0; ; o += B) {
                if (o > oc - B) o = oc - B;
                for (int r = r0; ; r += TWO) {
                    if (r > r1 - TWO) r = r1 - TWO;
                    weightBlock(g, work, dt, o, r, sums + ((o * rows) + r - r0) * L, rows, cells);
                    if (r == r1 - TWO) break;
                }
                if (o == oc - B) break;
            }
            for (int o = 0; o < oc; o++)
                for (int r = r0; r < r1; r++) {
                    int at = dwOff + o * patch + r, s = sums + (o * rows + r - r0) * L;
                    float v = dw[at];
                    for (int j = 0; j < count; j++) v = i + j == 0 ? work[s + j] : v + work[s + j];
                    dw[at] = v;
                }
        }
    }

    /**
     * Output channels {@code o..o+3} × patch rows {@code r, r+1}: per image, one chain per K block of pixels, the blocks
     * added to the sums in order. Eight accumulators, two input cells and one output-gradient cell: the 4 × 4 and 6 × 3
     * blocks this replaced needed more than the sixteen vector registers, and C2 kept six accumulators on the stack
     * (a load, an FMA and a store each per pixel). The pixels run flat through {@link DirectConvShape#pixelTable}.
     */
    private static void weightBlock(Conv2d.Geometry g, float[] t, int dt, int o, int r, int s, int rows, int[] cells) {
        int plane = g.oh() * g.ow(), kb = PackedGemm.kBlock(plane);
        int x0 = rowOffset(g, r) * L, x1 = rowOffset(g, r + 1) * L;
        int d0 = dt + o * plane * L, step = plane * L, rs = rows * L;
        for (int p0 = 0; p0 < plane; p0 += kb) {
            int p1 = Math.min(plane, p0 + kb);
            FloatVector c00, c01, c10, c11, c20, c21, c30, c31;
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = FloatVector.zero(S);
            for (int p = p0; p < p1; p++) {
                int at = cells[p], d = d0 + p * L;
                FloatVector a0 = FloatVector.fromArray(S, t, x0 + at), a1 = FloatVector.fromArray(S, t, x1 + at);
                FloatVector b = FloatVector.fromArray(S, t, d);
                c00 = b.fma(a0, c00);
                c01 = b.fma(a1, c01);
                b = FloatVector.fromArray(S, t, d + step);
                c10 = b.fma(a0, c10);
                c11 = b.fma(a1, c11);
                b = FloatVector.fromArray(S, t, d + 2 * step);
                c20 = b.fma(a0, c20);
                c21 = b.fma(a1, c21);
                b = FloatVector.fromArray(S, t, d + 3 * step);
                c30 = b.fma(a0, c30);
                c31 = b.fma(a1, c31);
            }
            // Spelled out: a vector passed to a method the JIT does not inline would be boxed.
            if (p0 == 0) {
                c00.intoArray(t, s);
                c01.intoArray(t, s + L);
                c10.intoArray(t, s + rs);
                c11.intoArray(t, s + rs + L);
                c20.intoArray(t, s + 2 * rs);
                c21.intoArray(t, s + 2 * rs + L);
                c30.intoArray(t, s + 3 * rs);
                c31.intoArray(t, s + 3 * rs + L);
            } else {
                FloatVector.fromArray(S, t, s).add(c00).intoArray(t, s);
                FloatVector.fromArray(S, t, s + L).add(c01).intoArray(t, s + L);
                FloatVector.fromArray(S, t, s + rs).add(c10).intoArray(t, s + rs);
                FloatVector.fromArray(S, t, s + rs + L).add(c11).intoArray(t, s + rs + L);
                FloatVector.fromArray(S, t, s + 2 * rs).add(c20).intoArray(t, s + 2 * rs);
                FloatVector.fromArray(S, t, s + 2 * rs + L).add(c21).intoArray(t, s + 2 * rs + L);
                FloatVector.fromArray(S, t, s + 3 * rs).add(c30).intoArray(t, s + 3 * rs);
                FloatVector.fromArray(S, t, s + 3 * rs + L).add(c31).intoArray(t, s + 3 * rs + L);
            }
        }
    }

    /**
     * {@link #weightBlock} for output channels {@code o..o+2} × patch rows {@code r..r+2} (nine accumulators, thirteen
     * registers), for channel counts that are multiples of three but not of four (LeNet's six: no channel computed twice).
     */
    private static void weightBlock3(Conv2d.Geometry g, float[] t, int dt, int o, int r, int s, int rows, int[] cells) {
        int plane = g.oh() * g.ow(), kb = PackedGemm.kBlock(plane);
        int x0 = rowOffset(g, r) * L, x1 = rowOffset(g, r + 1) * L, x2 = rowOffset(g, r + 2) * L;
        int d0 = dt + o * plane * L, step = plane * L, rs = rows * L;
        for (int p0 = 0; p0 < plane; p0 += kb) {
            int p1 = Math.min(plane, p0 + kb);
            FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22;
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = FloatVector.zero(S);
            for (int p = p0; p < p1; p++) {
                int at = cells[p], d = d0 + p * L;
                FloatVector a0 = FloatVector.fromArray(S, t, x0 + at), a1 = FloatVector.fromArray(S, t, x1 + at);
                FloatVector a2 = FloatVector.fromArray(S, t, x2 + at);
                FloatVector b = FloatVector.fromArray(S, t, d);
                c00 = b.fma(a0, c00);
                c01 = b.fma(a1, c01);
                c02 = b.fma(a2, c02);
                b = FloatVector.fromArray(S, t, d + step);
                c10 = b.fma(a0, c10);
                c11 = b.fma(a1, c11);
                c12 = b.fma(a2, c12);
                b = FloatVector.fromArray(S, t, d + 2 * step);
                c20 = b.fma(a0, c20);
                c21 = b.fma(a1, c21);
                c22 = b.fma(a2, c22);
            }
            if (p0 == 0) {
                c00.intoArray(t, s);
                c01.intoArray(t, s + L);
                c02.intoArray(t, s + 2 * L);
                c10.intoArray(t, s + rs);
                c11.intoArray(t, s + rs + L);
                c12.intoArray(t, s + rs + 2 * L);
                c20.intoArray(t, s + 2 * rs);
                c21.intoArray(t, s + 2 * rs + L);
                c22.intoArray(t, s + 2 * rs + 2 * L);
            } else {
                FloatVector.fromArray(S, t, s).add(c00).intoArray(t, s);
                FloatVector.fromArray(S, t, s + L).add(c01).intoArray(t, s + L);
                FloatVector.fromArray(S, t, s + 2 * L).add(c02).intoArray(t, s + 2 * L);
                FloatVector.fromArray(S, t, s + rs).add(c10).intoArray(t, s + rs);
                FloatVector.fromArray(S, t, s + rs + L).add(c11).intoArray(t, s + rs + L);
                FloatVector.fromArray(S, t, s + rs + 2 * L).add(c12).intoArray(t, s + rs + 2 * L);
                FloatVector.fromArray(S, t, s + 2 * rs).add(c20).intoArray(t, s + 2 * rs);
                FloatVector.fromArray(S, t, s + 2 * rs + L).add(c21).intoArray(t, s + 2 * rs + L);
                FloatVector.fromArray(S, t, s + 2 * rs + 2 * L).add(c22).intoArray(t, s + 2 * rs + 2 * L);
            }
        }
    }

    /** Cell of the padded image where patch row {@code r}'s reads start: {@code (ci·hp + ky)·wp + kx}. */
    private static int rowOffset(Conv2d.Geometry g, int r) {
        int window = g.kh() * g.kw(), hp = g.h() + 2 * g.padH(), wp = g.w() + 2 * g.padW();
        return (r / window * hp + r % window / g.kw()) * wp + r % g.kw();
    }

    /** Images {@code [i, i + count)} into the padded image's interior at 0, lane {@code j} image {@code i + j}; other lanes zero. */
    static void packImages(Conv2d.Geometry g, float[] x, int xOff, int i, int count, float[] t) {
        int h = g.h(), w = g.w(), hp = h + 2 * g.padH(), wp = w + 2 * g.padW(), inImage = g.c() * h * w;
        for (int ci = 0; ci < g.c(); ci++)
            for (int iy = 0; iy < h; iy++) {
                int dst = ((ci * hp + iy + g.padH()) * wp + g.padW()) * L, src = xOff + (ci * h + iy) * w;
                interleave(x, src + i * inImage, inImage, count, w, t, dst);
            }
    }

    /** Strides of the images a gather reads, per thread (set for each call, so nothing is allocated per step). */
    private static final ThreadLocal<int[]> STRIDES = ThreadLocal.withInitial(() -> new int[L]);

    /**
     * {@code t[dst + e·L + j] = a[src + j·stride + e]} for {@code e < n} and lanes {@code j < count}, zero in the
     * other lanes: {@code count} images' runs of {@code n} floats into cells of eight (one gather per cell for a full group).
     */
    private static void interleave(float[] a, int src, int stride, int count, int n, float[] t, int dst) {
        if (count == L) {
            int[] map = STRIDES.get();
            for (int j = 0; j < L; j++) map[j] = j * stride;
            for (int e = 0; e < n; e++) FloatVector.fromArray(S, a, src + e, map, 0).intoArray(t, dst + e * L);
            return;
        }
        for (int j = 0; j < L; j++) {
            if (j < count) for (int e = 0; e < n; e++) t[dst + e * L + j] = a[src + j * stride + e];
            else for (int e = 0; e < n; e++) t[dst + e * L + j] = 0f;
        }
    }
}
