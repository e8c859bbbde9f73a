package nnc.runtime.train;

import java.util.Map;
import java.util.Set;

/**
 * A learning rate per training step. {@code lr(t)} is the rate of the step that follows {@code t}
 * completed steps (t = 0 for the first step), computed in double from the 64-bit step count and
 * rounded to float once, so it is bitwise reproducible and the same after a resume.
 *
 * <ul>
 *   <li>{@code constant}: the base rate;</li>
 *   <li>{@code step(every, gamma = 0.1)}: {@code base · gamma^⌊t / every⌋} (PyTorch's StepLR stepped every step);</li>
 *   <li>{@code exponential(gamma)}: {@code base · gamma^t} (ExponentialLR stepped every step);</li>
 *   <li>{@code cosine(warmup = 0, steps = the run's steps, min_lr = 0)}: after the warm-up,
 *       {@code min_lr + (base − min_lr) · ½ (1 + cos(π · (t − warmup) / (steps − warmup)))}, and
 *       {@code min_lr} once {@code t ≥ steps}.</li>
 * </ul>
 * Every schedule takes {@code warmup = W}: for {@code t < W} the rate is {@code base · (t + 1) / W},
 * a linear ramp that reaches the base rate at step W; after it, step and exponential count from
 * the end of the warm-up.
 */
public final class LrSchedule {
    private static final Set<String> KINDS = Set.of("constant", "step", "exponential", "cosine");

    private final String kind;
    private final double base;
    private final long warmup;
    private final long every;
    private final double gamma;
    /** Cosine's decay length; {@link #RUN_STEPS} until {@link #forRun} fills in the run's. */
    private final long steps;
    /** {@code steps} when it is the run's number of steps, not known until the run starts. */
    private static final long RUN_STEPS = -1;
    private final double minLr;

    private LrSchedule(String kind, double base, long warmup, long every, double gamma, long steps, double minLr) {
        this.kind = kind;
        this.base = base;
        this.warmup = warmup;
        this.every = every;
        this.gamma = gamma;
        this.steps = steps;
        this.minLr = minLr;
    }

    /** The base rate, every step. */
    public static LrSchedule constant(double lr) { return new LrSchedule("constant", lr, 0, 1, 1, 1, 0); }

    /**
     * The schedule {@code kind} with {@code options} as written in a train block (defaults as in the class comment).
     *
     * @param totalSteps the run's number of steps: cosine's default {@code steps}
     */
    public static LrSchedule of(String kind, Map<String, Double> options, double baseLr, long totalSteps) {
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("unknown schedule " + kind);
        long warmup = Math.round(options.getOrDefault("warmup", 0.0));
        long every = Math.round(options.getOrDefault("every", 1.0));
        double gamma = options.getOrDefault("gamma", kind.equals("step") ? 0.1 : 1.0);
        if (totalSteps < 0 && totalSteps != RUN_STEPS) throw new IllegalArgumentException("negative run length " + totalSteps);
        long steps = options.containsKey("steps") ? Math.round(options.get("steps")) : totalSteps;
        double minLr = options.getOrDefault("min_lr", 0.0);
        if (warmup < 0 || every < 1 || !(gamma > 0) || !(minLr >= 0) || !(baseLr > 0))
            throw new IllegalArgumentException("bad schedule options " + options + " for base rate " + baseLr);
        return new LrSchedule(kind, baseLr, warmup, every, gamma, steps, minLr);
    }

    /**
     * The schedule {@code kind} as a train block writes it, before the run's length is known: a
     * cosine schedule without {@code steps} decays over the run's steps, which {@link Trainer#fit}
     * fills in ({@link #forRun}).
     */
    public static LrSchedule of(String kind, Map<String, Double> options, double baseLr) {
        return of(kind, options, baseLr, RUN_STEPS);
    }

    /** This schedule for a run of {@code totalSteps} steps: itself unless its length is the run's, still unknown. */
    public LrSchedule forRun(long totalSteps) {
        return steps != RUN_STEPS ? this : new LrSchedule(kind, base, warmup, every, gamma, Math.max(0, totalSteps), minLr);
    }

    /** True when every step has the base rate. */
    public boolean isConstant() { return kind.equals("constant") && warmup == 0; }

    /** The rate of the step after {@code t} completed steps. */
    public float lr(long t) {
        if (t < 0) throw new IllegalArgumentException("negative step " + t);
        if (steps == RUN_STEPS && kind.equals("cosine")) throw new IllegalStateException("the schedule's length is the run's: call forRun first");
        if (t < warmup) return (float) (base * (double) (t + 1) / warmup);
        long u = t - warmup;
        double r = switch (kind) {
            case "constant" -> base;
            case "step" -> base * Math.pow(gamma, (double) (u / every));
            case "exponential" -> base * Math.pow(gamma, (double) u);
            case "cosine" -> {
                long span = Math.max(1, steps - warmup);
                if (u >= span) yield minLr;
                yield minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * (double) u / span));
            }
            default -> throw new IllegalStateException(kind);
        };
        return (float) r;
    }

    @Override public String toString() {
        return switch (kind) {
            case "constant" -> "constant";
            case "step" -> "step(every = " + every + ", gamma = " + gamma + ")";
            case "exponential" -> "exponential(gamma = " + gamma + ")";
            default -> "cosine(steps = " + steps + ", min_lr = " + minLr + ")";
        } + (warmup > 0 ? " after " + warmup + " warm-up steps" : "");
    }
}
