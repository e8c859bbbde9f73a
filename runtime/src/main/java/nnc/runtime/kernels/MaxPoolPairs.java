package nnc.runtime.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling over 2×2 windows with stride 2 and no padding (LeNet's and most CNNs' pooling), forward
 * and backward, 8 windows at a time (Vector API: {@link Pool2d} calls it only when {@link VectorSupport#AVAILABLE}). The windows do not overlap, so each input position belongs to at
 * most one window and the backward writes (rather than adds) every position once.
 *
 * <p>Same result as {@link Pool2d}'s general path, bit for bit: a window's value is its first maximum
 * in reading order (a, b on the upper row, c, d on the lower), a later value winning only when it is
 * greater or a NaN after numbers; the gradient goes to that position alone. Rows of 8 or more windows
 * are done in vector blocks, the last block shifted left to end at the row's end (recomputing a few
 * windows, which writes the same values); narrower rows in one block with masked stores, or in
 * scalar code by the same rules where a block's reads would pass the array's end.
 */
final class MaxPoolPairs {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;
    /** Even and odd lanes of two concatenated vectors: the left and right columns of 8 windows. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromValues(S, 0, 2, 4, 6, 8, 10, 12, 14);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromValues(S, 1, 3, 5, 7, 9, 11, 13, 15);
    /** Interleaves two vectors, lower and upper halves: the inverse of EVEN/ODD. */
    private static final VectorShuffle<Float> LOW = VectorShuffle.fromValues(S, 0, 8, 1, 9, 2, 10, 3, 11);
    private static final VectorShuffle<Float> HIGH = VectorShuffle.fromValues(S, 4, 12, 5, 13, 6, 14, 7, 15);

    private MaxPoolPairs() {}

    /** {@code y} for planes {@code [p0, p1)}. */
    static void forward(Pool2d.Geometry g, float[] x, int xOff, float[] y, int yOff, int p0, int p1) {
        int oh = g.oh(), ow = g.ow(), w = g.w(), plane = g.h() * w;
        VectorMask<Float> narrow = S.indexInRange(0, ow);
        for (int p = p0; p < p1; p++)
            for (int oy = 0; oy < oh; oy++) {
                int r0 = xOff + p * plane + 2 * oy * w, out = yOff + (p * oh + oy) * ow;
                if (ow < L && r0 + w + 2 * L > x.length) {
                    for (int ox = 0; ox < ow; ox++) {
                        int i = r0 + 2 * ox;
                        float m = x[i], b = x[i + 1], c = x[i + w], d = x[i + w + 1];
                        if (b > m || b != b && m == m) m = b;
                        if (c > m || c != c && m == m) m = c;
                        if (d > m || d != d && m == m) m = d;
                        y[out + ox] = m;
                    }
                    continue;
                }
                for (int ox = 0; ; ox += L) {
                    if (ox > ow - L) ox = Math.max(0, ow - L);
                    int i = r0 + 2 * ox;
                    FloatVector u0 = FloatVector.fromArray(S, x, i), u1 = FloatVector.fromArray(S, x, i + L);
                    FloatVector l0 = FloatVector.fromArray(S, x, i + w), l1 = FloatVector.fromArray(S, x, i + w + L);
                    FloatVector m = u0.rearrange(EVEN, u1), b = u0.rearrange(ODD, u1);
                    FloatVector c = l0.rearrange(EVEN, l1), d = l0.rearrange(ODD, l1);
                    m = m.blend(b, beats(b, m));
                    m = m.blend(c, beats(c, m));
                    m = m.blend(d, beats(d, m));
                    if (ow < L) m.intoArray(y, out, narrow);
                    else m.intoArray(y, out + ox);
                    if (ox >= ow - L) break;
                }
            }
    }

    /** {@code dx} (overwritten) for planes {@code [p0, p1)}: each dy at its window's first maximum. */
    static void backward(Pool2d.Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int p0, int p1) {
        int oh = g.oh(), ow = g.ow(), w = g.w(), plane = g.h() * w;
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f), three = FloatVector.broadcast(S, 3f);
        // Rows of fewer than 8 windows: one block, stores masked to the row's 2·ow floats.
        VectorMask<Float> low = S.indexInRange(0, 2 * ow), high = S.indexInRange(0, 2 * ow - L);
        for (int p = p0; p < p1; p++) {
            int planeOff = p * plane;
            for (int oy = 0; oy < oh; oy++) {
                int r0 = planeOff + 2 * oy * w, in = dyOff + (p * oh + oy) * ow;
                if (ow < L && (xOff + r0 + w + 2 * L > x.length || in + L > dy.length)) scalarBackwardRow(x, xOff + r0, dy, in, dx, dxOff + r0, w, ow);
                else for (int ox = 0; ; ox += L) {
                    if (ox > ow - L) ox = Math.max(0, ow - L);
                    int i = xOff + r0 + 2 * ox, o = dxOff + r0 + 2 * ox;
                    FloatVector u0 = FloatVector.fromArray(S, x, i), u1 = FloatVector.fromArray(S, x, i + L);
                    FloatVector l0 = FloatVector.fromArray(S, x, i + w), l1 = FloatVector.fromArray(S, x, i + w + L);
                    FloatVector a = u0.rearrange(EVEN, u1), b = u0.rearrange(ODD, u1);
                    FloatVector c = l0.rearrange(EVEN, l1), d = l0.rearrange(ODD, l1);
                    // at: which of a, b, c, d (0-3) holds the first maximum.
                    VectorMask<Float> k = beats(b, a);
                    FloatVector m = a.blend(b, k), at = zero.blend(one, k);
                    k = beats(c, m);
                    m = m.blend(c, k);
                    at = at.blend(two, k);
                    at = at.blend(three, beats(d, m));
                    FloatVector v = FloatVector.fromArray(S, dy, in + ox);
                    FloatVector ga = zero.blend(v, at.compare(VectorOperators.EQ, zero)), gb = zero.blend(v, at.compare(VectorOperators.EQ, one));
                    FloatVector gc = zero.blend(v, at.compare(VectorOperators.EQ, two)), gd = zero.blend(v, at.compare(VectorOperators.EQ, three));
                    if (ow < L) {
                        ga.rearrange(LOW, gb).intoArray(dx, o, low);
                        ga.rearrange(HIGH, gb).intoArray(dx, o + L, high);
                        gc.rearrange(LOW, gd).intoArray(dx, o + w, low);
                        gc.rearrange(HIGH, gd).intoArray(dx, o + w + L, high);
                        break;
                    }
                    ga.rearrange(LOW, gb).intoArray(dx, o);
                    ga.rearrange(HIGH, gb).intoArray(dx, o + L);
                    gc.rearrange(LOW, gd).intoArray(dx, o + w);
                    gc.rearrange(HIGH, gd).intoArray(dx, o + w + L);
                    if (ox == ow - L) break;
                }
                if ((w & 1) != 0) {
                    dx[dxOff + r0 + w - 1] = 0f;
                    dx[dxOff + r0 + 2 * w - 1] = 0f;
                }
            }
            if ((g.h() & 1) != 0) Arrays.fill(dx, dxOff + planeOff + (g.h() - 1) * w, dxOff + planeOff + plane, 0f);
        }
    }

    /** Lanes where {@code v} replaces the running maximum {@code m}: greater, or a NaN over a number. */
    private static VectorMask<Float> beats(FloatVector v, FloatVector m) {
        return v.compare(VectorOperators.GT, m).or(v.compare(VectorOperators.NE, v).and(m.compare(VectorOperators.EQ, m)));
    }

    private static void scalarBackwardRow(float[] x, int i0, float[] dy, int in, float[] dx, int o0, int w, int ow) {
        for (int ox = 0; ox < ow; ox++) {
            int i = i0 + 2 * ox, o = o0 + 2 * ox;
            float m = x[i], b = x[i + 1], c = x[i + w], d = x[i + w + 1];
            int at = 0;
            if (b > m || b != b && m == m) { m = b; at = 1; }
            if (c > m || c != c && m == m) { m = c; at = 2; }
            if (d > m || d != d && m == m) at = 3;
            float v = dy[in + ox];
            dx[o] = at == 0 ? v : 0f;
            dx[o + 1] = at == 1 ? v : 0f;
            dx[o + w] = at == 2 ? v : 0f;
            dx[o + w + 1] = at == 3 ? v : 0f;
        }
    }
}
