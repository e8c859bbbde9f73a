package nnc.spark;

/**
 * Where the time of a run's distributed steps went, summed over steps: the replicas' compute (the
 * slowest task of each step), the driver's exchange work (the parameter snapshot, the batch shares,
 * the sum and the optimiser update), and the rest of each step's Spark job (scheduling, task
 * launch, serialisation, the broadcast and the results' transfer).
 */
public final class StepClock {
    long steps;
    long jobNanos;
    long computeNanos;
    long driverNanos;
    long exchangedFloats;

    public long steps() { return steps; }

    /** Mean milliseconds per step of the slowest task's compute. */
    public double computeMs() { return per(computeNanos); }

    /** Mean milliseconds per step the driver spent preparing, summing and applying. */
    public double driverMs() { return per(driverNanos); }

    /** Mean milliseconds per step of the Spark job beyond its slowest task's compute. */
    public double schedulingMs() { return per(jobNanos - computeNanos); }

    /** Mean floats per step sent and received (parameters out to each partition, contributions back). */
    public double floatsPerStep() { return steps == 0 ? Double.NaN : (double) exchangedFloats / steps; }

    private double per(long nanos) { return steps == 0 ? Double.NaN : nanos / 1e6 / steps; }

    @Override public String toString() {
        return String.format("%d steps: compute %.3f ms, driver %.3f ms, Spark job overhead %.3f ms per step, %.0f floats exchanged per step",
                steps, computeMs(), driverMs(), schedulingMs(), floatsPerStep());
    }
}
