package nnc.ir;

/**
 * The convolution and pooling primitives over NCHW images ({@link Op.Spatial}), forward and
 * backward. Each names the runtime routine of {@code nnc.runtime.kernels.SpatialCalls} that
 * computes it and the inputs it takes.
 */
public enum SpatialFn {
    /** (x [N,C,H,W], w [OC,C,k,k]) → y [N,OC,OH,OW]. */
    CONV2D("conv2d", "conv2dForward", 2, true),
    /** (dy [N,OC,OH,OW], w [OC,C,k,k]) → dx [N,C,H,W]. */
    CONV2D_GRAD_INPUT("conv2d_grad_input", "conv2dBackwardInput", 2, true),
    /** (x [N,C,H,W], dy [N,OC,OH,OW]) → dw [OC,C,k,k]. */
    CONV2D_GRAD_WEIGHT("conv2d_grad_weight", "conv2dBackwardWeight", 2, true),
    /** x [N,C,H,W] → y [N,C,OH,OW], the maximum of each window (padding never wins). */
    MAX_POOL2D("max_pool2d", "maxPoolForward", 1, false),
    /** x [N,C,H,W] → y [N,C,OH,OW], the mean of each window (padding counts as zeros). */
    AVG_POOL2D("avg_pool2d", "avgPoolForward", 1, false),
    /** (x, dy) → dx [N,C,H,W]: each dy at its window's first maximum. */
    MAX_POOL2D_GRAD("max_pool2d_grad", "maxPoolBackward", 2, false),
    /** dy → dx [N,C,H,W]: dy / k² at every position of its window. */
    AVG_POOL2D_GRAD("avg_pool2d_grad", "avgPoolBackward", 1, false);

    private final String text, routine;
    private final int arity;
    private final boolean conv;

    SpatialFn(String text, String routine, int arity, boolean conv) {
        this.text = text;
        this.routine = routine;
        this.arity = arity;
        this.conv = conv;
    }

    /** Mnemonic in the IR text. */
    public String text() { return text; }

    /** The static method of {@code nnc.runtime.kernels.SpatialCalls}. */
    public String routine() { return routine; }

    public int arity() { return arity; }

    /** Convolutions need a workspace (im2col); pooling does not. */
    public boolean isConv() { return conv; }

    public static SpatialFn ofText(String text) {
        for (SpatialFn f : values()) if (f.text.equals(text)) return f;
        throw new IllegalArgumentException("unknown spatial op " + text);
    }
}
