package nnc.check;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.BiFunction;
import nnc.diag.Span;
import nnc.optim.TrainConfig;
import nnc.syntax.Ast;

/**
 * Reads the train settings written as calls with named options: {@code optimizer adam(lr = 1e-3)},
 * {@code clipping(norm = 1.0)}, {@code schedule cosine(warmup = 100)},
 * {@code early_stopping(patience = 3, monitor = val_loss)}. Unknown option names get the closest
 * known one as a hint.
 */
final class TrainCallReader {
    static final List<String> SCHEDULES = List.of("constant", "step", "exponential", "cosine");
    static final List<String> MONITORS = List.of("val_loss", "val_accuracy", "val_top_k", "loss", "accuracy");
    private static final Map<String, List<String>> SCHEDULE_OPTIONS = Map.of(
            "constant", List.of("warmup"),
            "step", List.of("every", "gamma", "warmup"),
            "exponential", List.of("gamma", "warmup"),
            "cosine", List.of("warmup", "steps", "min_lr"));

    private TrainCallReader() {}

    /** A call as written: its name, and its arguments. */
    record Call(String name, Span nameSpan, List<Ast.Arg> args, Span span) {
        /**
         * The named numeric options, each known, given once and allowed by {@code problem}
         * (which returns why a value is not allowed, or null).
         */
        Map<String, Double> numbers(Collection<String> known, BiFunction<String, Double, String> problem) {
            Map<String, Double> out = new LinkedHashMap<>();
            Set<String> given = new HashSet<>();
            for (Ast.Arg a : args) {
                String option = option(a, known);
                if (!given.add(option)) throw CheckFailure.error(a.span(), "option '" + option + "' is given twice");
                double x = number(a);
                String why = problem.apply(option, x);
                if (why != null) throw CheckFailure.error(a.value().span(), "'" + option + "' " + why + ", got " + ConstEval.show(x));
                out.put(option, x);
            }
            return out;
        }

        /** The name of argument {@code a}, which must be named and one of {@code known}. */
        String option(Ast.Arg a, Collection<String> known) {
            if (a.name() == null)
                throw CheckFailure.error(a.span(), name + "'s options are named", "e.g. " + name + "(" + known.iterator().next() + " = ...)");
            if (!known.contains(a.name()))
                throw CheckFailure.error(a.span(), name + " has no option '" + a.name() + "'",
                        TypeResolver.hintOr(Suggest.didYouMean(a.name(), known), "its options are: " + String.join(", ", known)));
            return a.name();
        }
    }

    static Call call(Ast.Expr v, String expected) {
        // instanceof tests, not a pattern switch: the JVM links each pattern switch at first use (~0.4 ms at start-up)
        if (v instanceof Ast.Call c) return new Call(c.callee(), c.calleeSpan(), c.args(), c.span());
        if (v instanceof Ast.NameRef n) return new Call(n.name(), n.span(), List.of(), n.span());
        throw CheckFailure.error(v.span(), expected);
    }

    /** {@code clipping(norm = c)} or {@code clipping(value = c)}, c > 0. */
    static TrainConfig.Clipping clipping(Ast.Expr v) {
        Call c = call(v, "expected clipping(norm = 1.0) or clipping(value = 0.5)");
        Map<String, Double> o = c.numbers(List.of("norm", "value"), (k, x) -> x > 0 && x.floatValue() > 0f ? null : "must be a positive number");
        if (o.size() != 1)
            throw CheckFailure.error(c.span(), "clipping takes one of norm or value", "e.g. clipping(norm = 1.0) or clipping(value = 0.5)");
        var e = o.entrySet().iterator().next();
        return new TrainConfig.Clipping(e.getKey().equals("norm") ? TrainConfig.Clipping.Kind.NORM : TrainConfig.Clipping.Kind.VALUE, e.getValue());
    }

    /** {@code schedule constant | step(every, gamma) | exponential(gamma) | cosine(warmup, steps, min_lr)}. */
    static TrainConfig.Schedule schedule(Ast.Expr v) {
        Call c = call(v, "expected a schedule such as cosine(warmup = 100) or step(every = 1000, gamma = 0.5)");
        List<String> known = SCHEDULE_OPTIONS.get(c.name());
        if (known == null)
            throw CheckFailure.error(c.nameSpan(), "unknown schedule '" + c.name() + "'",
                    TypeResolver.hintOr(Suggest.didYouMean(c.name(), SCHEDULES), "the schedules are: " + String.join(", ", SCHEDULES)));
        Map<String, Double> o = c.numbers(known, TrainCallReader::scheduleProblem);
        String required = switch (c.name()) {
            case "step" -> "every";
            case "exponential" -> "gamma";
            default -> null;
        };
        if (required != null && !o.containsKey(required))
            throw CheckFailure.error(c.span(), c.name() + " needs the option '" + required + "'",
                    c.name().equals("step") ? "e.g. step(every = 1000, gamma = 0.5): ×0.5 every 1000 steps" : "e.g. exponential(gamma = 0.999): ×0.999 every step");
        return new TrainConfig.Schedule(c.name(), o);
    }

    private static String scheduleProblem(String option, double x) {
        return switch (option) {
            case "warmup" -> x >= 0 && x == Math.rint(x) && x <= Integer.MAX_VALUE ? null : "must be a whole number of steps, at least 0";
            case "every", "steps" -> x >= 1 && x == Math.rint(x) && x <= Integer.MAX_VALUE ? null : "must be a whole number of steps, at least 1";
            case "gamma" -> x > 0 ? null : "must be a positive number";
            case "min_lr" -> x >= 0 ? null : "must be at least 0";
            default -> null;
        };
    }

    /** {@code early_stopping(patience = 3, monitor = val_loss, min_delta = 0)}. */
    static TrainConfig.EarlyStopping earlyStopping(Ast.Expr v) {
        Call c = call(v, "expected early_stopping(patience = 3, monitor = val_loss)");
        List<String> known = List.of("patience", "monitor", "min_delta");
        int patience = 3;
        String monitor = "val_loss";
        double minDelta = 0;
        Set<String> given = new HashSet<>();
        for (Ast.Arg a : c.args()) {
            String option = c.option(a, known);
            if (!given.add(option)) throw CheckFailure.error(a.span(), "option '" + option + "' is given twice");
            switch (option) {
                case "monitor" -> {
                    if (!(a.value() instanceof Ast.NameRef n) || !MONITORS.contains(n.name()))
                        throw CheckFailure.error(a.value().span(), "monitor must be one of " + String.join(", ", MONITORS),
                                a.value() instanceof Ast.NameRef n ? Suggest.didYouMean(n.name(), MONITORS) : null);
                    monitor = n.name();
                }
                case "patience" -> {
                    double x = number(a);
                    if (x < 1 || x != Math.rint(x) || x > Integer.MAX_VALUE)
                        throw CheckFailure.error(a.value().span(), "'patience' must be a whole number of epochs, at least 1, got " + ConstEval.show(x));
                    patience = (int) x;
                }
                default -> {
                    minDelta = number(a);
                    if (!(minDelta >= 0)) throw CheckFailure.error(a.value().span(), "'min_delta' must be at least 0, got " + ConstEval.show(minDelta));
                }
            }
        }
        return new TrainConfig.EarlyStopping(patience, monitor, minDelta);
    }

    private static double number(Ast.Arg a) {
        OptionalDouble d = ConstEval.eval(a.value());
        if (d.isEmpty() || !Double.isFinite(d.getAsDouble())) throw CheckFailure.error(a.value().span(), "'" + a.name() + "' must be a number");
        return d.getAsDouble();
    }
}
