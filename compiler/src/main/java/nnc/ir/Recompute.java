package nnc.ir;

/** Whether the fusion planner may evaluate an elementwise function again at each point of a consumer loop rather than store it. */
public enum Recompute {
    /** One cheap operation with no trap and no transcendental call ({@code + − × ÷}, negation): recomputed anywhere. */
    ALWAYS,
    /** Recomputed only in a short chain over stored values read by at most two loops (softmax's {@code exp(x − max)}). */
    IN_SHORT_CHAINS,
    /** Computed once and stored. */
    NEVER
}
