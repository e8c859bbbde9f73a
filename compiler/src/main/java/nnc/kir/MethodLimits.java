package nnc.kir;

/**
 * What one kernel's method may take, a limit of the JVM the Kernel IR respects: the merging passes
 * stop before a merged kernel would exceed it, and the emitters check it.
 */
public final class MethodLimits {
    private MethodLimits() {}

    /**
     * Buffers one kernel's method takes as parameters: a method has at most 255 parameter slots,
     * with a margin for {@code batch}.
     */
    public static final int MAX_BUFFER_PARAMS = 250;
}
