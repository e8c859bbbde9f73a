package nnc.runtime;

/**
 * The clock of a profiled trainer ({@code nnc bench --profile}): its {@code trainStep} reads
 * {@link System#nanoTime()} once, then after each kernel call adds the time since the last reading
 * to that kernel's slot of {@link GeneratedModel#kernelNanos()} with {@link #lap}. One reading per
 * kernel, no allocation.
 */
public final class KernelClock {
    private KernelClock() {}

    /** Adds the nanoseconds since {@code start} to {@code nanos[kernel]}; returns the time now (the next kernel's start). */
    public static long lap(long[] nanos, int kernel, long start) {
        long now = System.nanoTime();
        nanos[kernel] += now - start;
        return now;
    }
}
