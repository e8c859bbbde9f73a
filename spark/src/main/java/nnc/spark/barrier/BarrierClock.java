package nnc.spark.barrier;

/**
 * Where the time of a barrier run's steps went, summed over steps: the replicas' compute (the
 * slowest task of each step: the gradient step and its zeroed contribution, from the moment the
 * step's tensors are in), the exchange (the round trip to the tasks beyond that compute: the
 * parameters and rows out, the contributions and outputs back, over the run's sockets), and the
 * driver's own work (the sum and the optimiser update).
 */
public final class BarrierClock {
    long steps;
    long roundTripNanos;
    long computeNanos;
    long driverNanos;
    long exchangedFloats;
    long relaunches;
    long connectNanos;

    public long steps() { return steps; }

    /** Mean milliseconds per step of the slowest task's compute. */
    public double computeMs() { return per(computeNanos); }

    /** Mean milliseconds per step the driver spent summing and applying. */
    public double driverMs() { return per(driverNanos); }

    /** Mean milliseconds per step of the round trip beyond its slowest task's compute. */
    public double exchangeMs() { return per(roundTripNanos - computeNanos); }

    /** Seconds spent waiting for the barrier stage's tasks to connect (at the start and after relaunches), not in the per-step figures. */
    public double connectSeconds() { return connectNanos / 1e9; }

    /** Times the barrier stage was relaunched (a task or executor lost) and a step redone. */
    public long relaunches() { return relaunches; }

    /** Mean floats per step sent and received (parameters out to each partition, contributions back). */
    public double floatsPerStep() { return steps == 0 ? Double.NaN : (double) exchangedFloats / steps; }

    private double per(long nanos) { return steps == 0 ? Double.NaN : nanos / 1e6 / steps; }

    @Override public String toString() {
        return String.format("%d steps: compute %.3f ms, driver %.3f ms, barrier exchange %.3f ms per step, %.0f floats exchanged per step, %.2f s to connect%s",
                steps, computeMs(), driverMs(), exchangeMs(), floatsPerStep(), connectSeconds(), relaunches == 0 ? "" : ", " + relaunches + " stage relaunches");
    }
}
