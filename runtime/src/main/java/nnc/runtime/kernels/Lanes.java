package nnc.runtime.kernels;

/**
 * Folds the 8 lanes of a lane accumulator in the fixed tree generated reductions use:
 * {@code ((L0⊕L4)⊕(L2⊕L6))⊕((L1⊕L5)⊕(L3⊕L7))}, on the scalar twin's lanes held in an array; the
 * vector loops fold their lane accumulator in the same tree in registers ({@link LaneFolds}).
 */
public final class Lanes {
    private Lanes() {}

    /** The tree sum of 8 lanes held in an array. */
    public static float sum(float[] l) {
        return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
    }

    /** The tree maximum ({@link Math#max}) of 8 lanes held in an array. */
    public static float max(float[] l) {
        return Math.max(Math.max(Math.max(l[0], l[4]), Math.max(l[2], l[6])), Math.max(Math.max(l[1], l[5]), Math.max(l[3], l[7])));
    }
}
