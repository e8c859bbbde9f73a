package nnc.runtime.kernels;

/**
 * How many calls a generated SIMD kernel whose vector loop gives the scalar loop's bits (pointwise
 * kernels, folds in place) first runs as scalar loops. Vector API code is ~100× slower than scalar
 * code until C2 has compiled it (the interpreter and C1 box every vector), so running the scalar
 * twin while the JIT warms up shortens the first seconds of training; short loops always run it.
 * Results do not depend on either choice: the twins give the vector loops' bits.
 */
public final class VectorWarmup {
    private VectorWarmup() {}

    /**
     * 1 when this JVM runs no vector code ({@link VectorSupport#AVAILABLE} false), else 0: generated
     * kernels or it into their warm-up test, so they always take the scalar twin and never load
     * their {@code Simd} class. Constant for the JVM's life, so the JIT folds it.
     */
    public static final int NO_VECTORS = VectorSupport.AVAILABLE ? 0 : 1;

    /** Calls per kernel that run scalar loops (read on every call; tests set 0 to exercise vectors at once). */
    public static volatile int scalarCalls = 2000;

    /**
     * Inner loops shorter than this always run the scalar twin: one or two vectors do not pay for the
     * loop set-up (playground's batch of 10 × 3 units, say).
     */
    public static final int MIN_LENGTH = 32;

    /**
     * During the warm-up, every call whose count is a multiple of {@code PROBE_MASK + 1} runs the
     * vector loops instead of the scalar twin (same bits). So the JIT compiles a kernel method with
     * both paths taken: otherwise C2 compiles the scalar path alone, and the switch to vectors
     * after {@link #scalarCalls} calls deoptimises the method and runs its vectors in the slow,
     * allocating fallback until C2 compiles it again (seconds on a loaded machine).
     */
    public static final int PROBE_MASK = 15;

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[8]);

    /**
     * The calling thread's 8 scalar lanes for a scalar twin of a lane-accumulator reduction, so the
     * twin allocates nothing per step (it runs on every step for short loops); the caller fills it
     * with the fold's identity before use. One reduction uses it at a time on a thread.
     */
    public static float[] lanes() { return LANES.get(); }
}
