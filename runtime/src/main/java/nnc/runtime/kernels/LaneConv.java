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
 * blocks are 4 output channels × 4 patch rows (6 × 3 when the channel count is a multiple of six);
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
    /** Output channels, and patch rows, per register block. */
    private static final int B = 4;
    /** Output channels and patch rows of the block for channel counts that are multiples of six. */
    private static final int SIX = 6, THREE = 3;

    private LaneConv() {}

    private static void store4(float[] t, int at, FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3) {
        v0.intoArray(t, at);
        v1.intoArray(t, at + L);
        v2.intoArray(t, at + 2 * L);
        v3.intoArray(t, at + 3 * L);
    }

    /**
     * Columns {@code [r0, r1)} of {@link Conv2d#backwardWeight}: per group of eight images, every
     * block's per-image sums into the workspace, then added into {@code dw} image by image.
     */
    static void backwardWeightColumns(Conv2d.Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff, float[] work, int r0, int r1) {
        int oc = g.oc(), plane = g.oh() * g.ow(), outImage = oc * plane, patch = g.patch(), rows = r1 - r0;
        int dt = DirectConvShape.laneImageFloats(g), sums = dt + outImage * L, block = sums + oc * patch * L;
        Arrays.fill(work, 0, dt, 0f);
        for (int i = 0; i < g.n(); i += L) {
            int count = Math.min(L, g.n() - i);
            packImages(g, x, xOff, i, count, work);
            interleave(dy, dyOff + i * outImage, outImage, count, outImage, work, dt);
            if (oc % SIX == 0) {
                for (int o = 0; o < oc; o += SIX)
                    for (int r = r0; ; r += THREE) {
                        if (r > r1 - THREE) r = r1 - THREE;
                        weightBlock6(g, work, dt, o, r, sums + ((o * rows) + r - r0) * L, rows);
                        if (r == r1 - THREE) break;
                    }
            } else for (int o = 0; ; o += B) {
                if (o > oc - B) o = oc - B;
                for (int r = r0; ; r += B) {
                    if (r > r1 - B) r = r1 - B;
                    weightBlock(g, work, dt, o, r, sums + ((o * rows) + r - r0) * L, rows, block);
                    if (r == r1 - B) break;
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

    /** Output channels {@code o..o+3} × patch rows {@code r..r+3}: per image, one chain per K block of pixels, the blocks added in order. */
    private static void weightBlock(Conv2d.Geometry g, float[] t, int dt, int o, int r, int s, int rows, int u) {
        int ow = g.ow(), wp = g.w() + 2 * g.padW(), plane = g.oh() * ow, kb = PackedGemm.kBlock(plane);
        int x0 = rowOffset(g, r) * L, x1 = rowOffset(g, r + 1) * L, x2 = rowOffset(g, r + 2) * L, x3 = rowOffset(g, r + 3) * L;
        int d0 = dt + o * plane * L, step = plane * L, rs = rows * L;
        for (int p0 = 0; p0 < plane; p0 += kb) {
            int p1 = Math.min(plane, p0 + kb);
            FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = FloatVector.zero(S);
            for (int p = p0; p < p1; ) {
                int oy = p / ow, end = Math.min(p1, (oy + 1) * ow);
                int d = d0 + p * L, at = (oy * wp + p - oy * ow) * L;
                for (; p < end; p++, d += L, at += L) {
                    FloatVector a0 = FloatVector.fromArray(S, t, x0 + at), a1 = FloatVector.fromArray(S, t, x1 + at);
                    FloatVector a2 = FloatVector.fromArray(S, t, x2 + at), a3 = FloatVector.fromArray(S, t, x3 + at);
                    FloatVector b = FloatVector.fromArray(S, t, d);
                    c00 = b.fma(a0, c00);
                    c01 = b.fma(a1, c01);
                    c02 = b.fma(a2, c02);
                    c03 = b.fma(a3, c03);
                    b = FloatVector.fromArray(S, t, d + step);
                    c10 = b.fma(a0, c10);
                    c11 = b.fma(a1, c11);
                    c12 = b.fma(a2, c12);
                    c13 = b.fma(a3, c13);
                    b = FloatVector.fromArray(S, t, d + 2 * step);
                    c20 = b.fma(a0, c20);
                    c21 = b.fma(a1, c21);
                    c22 = b.fma(a2, c22);
                    c23 = b.fma(a3, c23);
                    b = FloatVector.fromArray(S, t, d + 3 * step);
                    c30 = b.fma(a0, c30);
                    c31 = b.fma(a1, c31);
                    c32 = b.fma(a2, c32);
                    c33 = b.fma(a3, c33);
                }
            }
            // The first block's chains are stored in place, later ones next to the sums and added by addBlock (kept out of
            // this method, whose size would otherwise stop the JIT inlining it and box the vectors).
            int at = p0 == 0 ? s : u;
            int rsAt = p0 == 0 ? rs : B * L;
            store4(t, at, c00, c01, c02, c03);
            store4(t, at + rsAt, c10, c11, c12, c13);
            store4(t, at + 2 * rsAt, c20, c21, c22, c23);
            store4(t, at + 3 * rsAt, c30, c31, c32, c33);
            if (p0 != 0) addBlock(t, u, s, rs);
        }
    }

    /**
     * {@link #weightBlock} for output channels {@code o..o+5} × patch rows {@code r..r+2} (18 chains, no lane
     * or channel left idle when the channel count is a multiple of six): later K blocks' chains are added
     * to the sums in place, the same additions as through a spill.
     */
    private static void weightBlock6(Conv2d.Geometry g, float[] t, int dt, int o, int r, int s, int rows) {
        int ow = g.ow(), wp = g.w() + 2 * g.padW(), plane = g.oh() * ow, kb = PackedGemm.kBlock(plane);
        int x0 = rowOffset(g, r) * L, x1 = rowOffset(g, r + 1) * L, x2 = rowOffset(g, r + 2) * L;
        int d0 = dt + o * plane * L, step = plane * L, rs = rows * L;
        for (int p0 = 0; p0 < plane; p0 += kb) {
            int p1 = Math.min(plane, p0 + kb);
            FloatVector c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50, c51, c52;
            c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 = c40 = c41 = c42 = c50 = c51 = c52 = FloatVector.zero(S);
            for (int p = p0; p < p1; ) {
                int oy = p / ow, end = Math.min(p1, (oy + 1) * ow);
                int d = d0 + p * L, at = (oy * wp + p - oy * ow) * L;
                for (; p < end; p++, d += L, at += L) {
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
                    b = FloatVector.fromArray(S, t, d + 3 * step);
                    c30 = b.fma(a0, c30);
                    c31 = b.fma(a1, c31);
                    c32 = b.fma(a2, c32);
                    b = FloatVector.fromArray(S, t, d + 4 * step);
                    c40 = b.fma(a0, c40);
                    c41 = b.fma(a1, c41);
                    c42 = b.fma(a2, c42);
                    b = FloatVector.fromArray(S, t, d + 5 * step);
                    c50 = b.fma(a0, c50);
                    c51 = b.fma(a1, c51);
                    c52 = b.fma(a2, c52);
                }
            }
            // Spelled out: a vector passed to a method the JIT does not inline would be boxed.
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
                c30.intoArray(t, s + 3 * rs);
                c31.intoArray(t, s + 3 * rs + L);
                c32.intoArray(t, s + 3 * rs + 2 * L);
                c40.intoArray(t, s + 4 * rs);
                c41.intoArray(t, s + 4 * rs + L);
                c42.intoArray(t, s + 4 * rs + 2 * L);
                c50.intoArray(t, s + 5 * rs);
                c51.intoArray(t, s + 5 * rs + L);
                c52.intoArray(t, s + 5 * rs + 2 * L);
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
                FloatVector.fromArray(S, t, s + 3 * rs).add(c30).intoArray(t, s + 3 * rs);
                FloatVector.fromArray(S, t, s + 3 * rs + L).add(c31).intoArray(t, s + 3 * rs + L);
                FloatVector.fromArray(S, t, s + 3 * rs + 2 * L).add(c32).intoArray(t, s + 3 * rs + 2 * L);
                FloatVector.fromArray(S, t, s + 4 * rs).add(c40).intoArray(t, s + 4 * rs);
                FloatVector.fromArray(S, t, s + 4 * rs + L).add(c41).intoArray(t, s + 4 * rs + L);
                FloatVector.fromArray(S, t, s + 4 * rs + 2 * L).add(c42).intoArray(t, s + 4 * rs + 2 * L);
                FloatVector.fromArray(S, t, s + 5 * rs).add(c50).intoArray(t, s + 5 * rs);
                FloatVector.fromArray(S, t, s + 5 * rs + L).add(c51).intoArray(t, s + 5 * rs + L);
                FloatVector.fromArray(S, t, s + 5 * rs + 2 * L).add(c52).intoArray(t, s + 5 * rs + 2 * L);
            }
        }
    }

    /** Adds the 4 × 4 chains at {@code u} (rows of 4 cells) to the sums at {@code s} (rows {@code rs} floats apart). */
    private static void addBlock(float[] t, int u, int s, int rs) {
        for (int k = 0; k < B; k++)
            for (int m = 0; m < B * L; m += L) {
                int at = s + k * rs + m;
                FloatVector.fromArray(S, t, at).add(FloatVector.fromArray(S, t, u + k * B * L + m)).intoArray(t, at);
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
