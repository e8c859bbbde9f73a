package nnc.ir;

/** How an op may be fused with its neighbours; the scheduler reads this instead of naming op pairs. */
public enum FusionKind {
    /** Inputs, parameters, state, constants: no computation. */
    LEAF,
    /** One output element from the same element of each input. */
    ELEMENTWISE,
    /** Repeats its input along new or size-1 axes. */
    BROADCAST,
    /** Moves elements without arithmetic (reshape, one-hot). */
    INJECTIVE,
    /** Combines many elements into one (sum, max). */
    REDUCE,
    /** Opaque to fusion on its inputs, but elementwise consumers may fuse into its output (matmul). */
    OUT_FUSABLE,
    /** Fuses with nothing. */
    OPAQUE
}
