package nnc.runtime.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Folds the 8 lanes of a lane accumulator in the fixed tree generated reductions use:
 * {@code ((L0⊕L4)⊕(L2⊕L6))⊕((L1⊕L5)⊕(L3⊕L7))}. {@link #sum(float[])} and {@link #max(float[])}
 * are the same trees on an array, for reference evaluators.
 */
public final class Lanes {
    private Lanes() {}

    /** The tree sum of {@code v}'s 8 lanes. */
    public static float sum(FloatVector v) {
        return ((v.lane(0) + v.lane(4)) + (v.lane(2) + v.lane(6))) + ((v.lane(1) + v.lane(5)) + (v.lane(3) + v.lane(7)));
    }

    /** The tree maximum ({@link Math#max}) of {@code v}'s 8 lanes. */
    public static float max(FloatVector v) {
        return Math.max(Math.max(Math.max(v.lane(0), v.lane(4)), Math.max(v.lane(2), v.lane(6))),
                Math.max(Math.max(v.lane(1), v.lane(5)), Math.max(v.lane(3), v.lane(7))));
    }

    /** {@link #sum(FloatVector)} of 8 lanes held in an array. */
    public static float sum(float[] l) {
        return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
    }

    /** {@link #max(FloatVector)} of 8 lanes held in an array. */
    public static float max(float[] l) {
        return Math.max(Math.max(Math.max(l[0], l[4]), Math.max(l[2], l[6])), Math.max(Math.max(l[1], l[5]), Math.max(l[3], l[7])));
    }
}
