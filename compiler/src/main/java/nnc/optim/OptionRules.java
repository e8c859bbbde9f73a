package nnc.optim;

/**
 * The allowed ranges of optimiser options, shared by every optimiser. Rates that end up in an f32
 * buffer are checked as f32: a β of 0.99999999 would round to 1 and divide by zero.
 */
final class OptionRules {
    private OptionRules() {}

    /** Why {@code value} is not allowed for {@code option}, or null. */
    static String problem(String option, double value) {
        if (!Double.isFinite(value)) return "must be a finite number";
        return switch (option) {
            case "lr", "eps" -> value > 0 && (float) value > 0f ? null : "must be a positive number";
            case "weight_decay" -> value >= 0 ? null : "must be at least 0";
            case "momentum", "beta1", "beta2", "alpha" -> value >= 0 && (float) value < 1f ? null : "must be in [0, 1) (as an f32)";
            case "dampening" -> value >= 0 && value <= 1 ? null : "must be in [0, 1]";
            default -> null;
        };
    }
}
