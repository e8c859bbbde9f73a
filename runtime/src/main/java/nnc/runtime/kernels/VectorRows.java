package nnc.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loops over rows used by scalar-first kernels, in a class loaded only when
 * {@link VectorSupport#AVAILABLE}: each does exactly its caller's scalar tail per lane, so the
 * caller's results do not depend on whether it ran.
 */
final class VectorRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

    private VectorRows() {}

    /** {@code dx[dst + i] += col[src + i]} over whole vectors from {@code lo}; returns the first {@code i} not done. */
    static int add(float[] col, int src, float[] dx, int dst, int lo, int hi) {
        int i = lo;
        for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length())
            FloatVector.fromArray(S, dx, dst + i).add(FloatVector.fromArray(S, col, src + i)).intoArray(dx, dst + i);
        return i;
    }
}
