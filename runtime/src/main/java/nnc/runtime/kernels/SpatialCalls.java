package nnc.runtime.kernels;

/**
 * The entry points generated trainers call for convolution and pooling: one uniform signature
 * {@code (a, b, out, work, n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups)} per routine, so emitters push
 * the same operands for each (unused arrays are null). {@code h × w} is always the forward input's
 * image size, {@code c} its channels, {@code oc} the convolution's output channels (pooling:
 * unused), {@code kh × kw} the window, {@code sh, sw} the strides, {@code ph, pw} the zero
 * padding of rows and columns, {@code dh, dw} the dilation and {@code groups} the channel groups
 * (convolutions; pooling takes 1, 1, 1). {@code work}
 * is the caller's workspace of at least {@link Conv2d.Geometry#workspaceFloats()} floats
 * (convolutions only); nothing is allocated here but the small geometry records.
 */
public final class SpatialCalls {
    private SpatialCalls() {}

    /** {@code out = conv(a = x, b = w)}. */
    public static void conv2dForward(float[] a, float[] b, float[] out, float[] work, int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        Conv2d.forward(conv(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups), a, 0, b, 0, out, 0, work);
    }

    /** {@code out = dx} from {@code a = dy}, {@code b = w}. */
    public static void conv2dBackwardInput(float[] a, float[] b, float[] out, float[] work, int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        Conv2d.backwardInput(conv(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups), a, 0, b, 0, out, 0, work);
    }

    /** {@code out = dw} from {@code a = x}, {@code b = dy}. */
    public static void conv2dBackwardWeight(float[] a, float[] b, float[] out, float[] work, int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        Conv2d.backwardWeight(conv(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups), a, 0, b, 0, out, 0, work);
    }

    /** {@code out = maxpool(a = x)}. */
    public static void maxPoolForward(float[] a, float[] b, float[] out, float[] work, int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        Pool2d.maxForward(pool(n, c, h, w, kh, kw, sh, sw, ph, pw), a, 0, out, 0);
    }

    /** {@code out = dx} from {@code a = x}, {@code b = dy}. */
    public static void maxPoolBackward(float[] a, float[] b, float[] out, float[] work, int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        Pool2d.maxBackward(pool(n, c, h, w, kh, kw, sh, sw, ph, pw), a, 0, b, 0, out, 0);
    }

    /** {@code out = avgpool(a = x)}. */
    public static void avgPoolForward(float[] a, float[] b, float[] out, float[] work, int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        Pool2d.avgForward(pool(n, c, h, w, kh, kw, sh, sw, ph, pw), a, 0, out, 0);
    }

    /** {@code out = dx} from {@code a = dy}. */
    public static void avgPoolBackward(float[] a, float[] b, float[] out, float[] work, int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        Pool2d.avgBackward(pool(n, c, h, w, kh, kw, sh, sw, ph, pw), a, 0, out, 0);
    }

    /** Workspace floats a convolution of this geometry needs (independent of the batch). */
    public static int convWorkspaceFloats(int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        return conv(1, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups).workspaceFloats();
    }

    /**
     * The geometries this thread used last, most recent first: a train step calls the same few
     * convolutions and poolings every time, and reusing their geometry objects keeps the step from
     * allocating (a new record per call was about 500 bytes a step for LeNet).
     */
    private static final int REMEMBERED = 16;
    private static final ThreadLocal<Conv2d.Geometry[]> CONVS = ThreadLocal.withInitial(() -> new Conv2d.Geometry[REMEMBERED]);
    private static final ThreadLocal<Pool2d.Geometry[]> POOLS = ThreadLocal.withInitial(() -> new Pool2d.Geometry[REMEMBERED]);

    private static Conv2d.Geometry conv(int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        Conv2d.Geometry[] seen = CONVS.get();
        for (int i = 0; i < REMEMBERED && seen[i] != null; i++) {
            Conv2d.Geometry g = seen[i];
            if (g.n() == n && g.c() == c && g.h() == h && g.w() == w && g.oc() == oc && g.kh() == kh && g.kw() == kw
                    && g.strideH() == sh && g.strideW() == sw && g.padH() == ph && g.padW() == pw) return g;
        }
        return remember(seen, new Conv2d.Geometry(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups));
    }

    private static Pool2d.Geometry pool(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        Pool2d.Geometry[] seen = POOLS.get();
        for (int i = 0; i < REMEMBERED && seen[i] != null; i++) {
            Pool2d.Geometry g = seen[i];
            if (g.planes() == n * c && g.h() == h && g.w() == w && g.kh() == kh && g.kw() == kw
                    && g.strideH() == sh && g.strideW() == sw && g.padH() == ph && g.padW() == pw) return g;
        }
        return remember(seen, new Pool2d.Geometry(n * c, h, w, kh, kw, sh, sw, ph, pw));
    }

    /** Puts {@code g} first, dropping the least recently added when full. */
    private static <G> G remember(G[] seen, G g) {
        System.arraycopy(seen, 0, seen, 1, REMEMBERED - 1);
        seen[0] = g;
        return g;
    }
}
