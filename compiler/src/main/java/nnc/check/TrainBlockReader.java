package nnc.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import nnc.diag.Diagnostic;
import nnc.diag.Span;
import nnc.optim.Optimizer;
import nnc.optim.OptimizerCatalog;
import nnc.optim.TrainConfig;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Datasets;
import nnc.syntax.Ast;

/**
 * Reads the train block into a {@link TrainConfig}: known settings, each at most once, with values
 * of the right kind; unset settings keep {@link TrainConfig#defaults()}.
 */
final class TrainBlockReader {
    static final List<String> SETTINGS = List.of("data", "validate", "optimizer", "batch", "epochs", "seed", "shuffle",
            "clipping", "schedule", "early_stopping");
    private static final Set<String> PLANNED_SETTINGS = Set.of("checkpoint");
    static final List<String> DATA_KINDS = List.of("circles", "xor", "gaussians", "spiral", "sequence", "idx", "csv");
    private static final Set<String> SYNTHETIC = Set.of("circles", "xor", "gaussians", "spiral", "sequence");

    private final List<Diagnostic> diagnostics;
    private final Map<String, Span> seen = new HashMap<>();
    private TrainConfig config = TrainConfig.defaults();

    private TrainBlockReader(List<Diagnostic> diagnostics) { this.diagnostics = diagnostics; }

    /** The configuration of {@code block} (null: defaults); problems go to {@code diagnostics}. */
    static TrainConfig read(Ast.TrainBlock block, List<Diagnostic> diagnostics) {
        TrainBlockReader r = new TrainBlockReader(diagnostics);
        if (block != null) for (Ast.TrainSetting s : block.settings()) {
            try {
                r.setting(s);
            } catch (CheckFailure f) {
                diagnostics.add(f.diagnostic);
            }
        }
        r.crossChecks();
        return r.config;
    }

    /** Checks between settings, once all are read. */
    private void crossChecks() {
        Span batchSpan = seen.get("batch");
        if (batchSpan != null && OptimizerCatalog.find(config.optimizer()).map(Optimizer::fullBatch).orElse(false))
            diagnostics.add(Diagnostic.error(batchSpan, "'batch' has no effect with gd, which steps once per epoch on the whole training set",
                    "remove 'batch', or use sgd for mini-batches"));
        Span esSpan = seen.get("early_stopping");
        if (esSpan != null && config.earlyStopping() != null && config.earlyStopping().monitor().startsWith("val_") && config.validate() == null)
            diagnostics.add(Diagnostic.error(esSpan, "early stopping monitors " + config.earlyStopping().monitor() + " but there is no validation set",
                    "add a line such as `validate circles(n = 200)`, or monitor loss"));
    }

    private void setting(Ast.TrainSetting s) {
        String key = s.key();
        if (!SETTINGS.contains(key)) {
            if (PLANNED_SETTINGS.contains(key)) throw CheckFailure.error(s.keySpan(), "the train setting '" + key + "' is not supported yet");
            throw CheckFailure.error(s.keySpan(), "unknown train setting '" + key + "'",
                    TypeResolver.hintOr(Suggest.didYouMean(key, SETTINGS), "the settings are: " + String.join(", ", SETTINGS)));
        }
        Span first = seen.putIfAbsent(key, s.keySpan());
        if (first != null)
            throw CheckFailure.error(s.keySpan(), "'" + key + "' is set twice", "keep one of them", first, "first set here");
        TrainConfig c = config;
        Ast.Expr v = s.value();
        config = switch (key) {
            case "data" -> c.withData(data(v));
            case "validate" -> c.withValidate(data(v));
            case "optimizer" -> optimizer(v);
            case "batch" -> c.withBatch(positiveInt(key, v));
            case "epochs" -> c.withEpochs(positiveInt(key, v));
            case "seed" -> c.withSeed(seed(v));
            case "shuffle" -> c.withShuffle(bool(key, v));
            case "clipping" -> c.withClipping(TrainCallReader.clipping(v));
            case "schedule" -> c.withSchedule(TrainCallReader.schedule(v));
            case "early_stopping" -> c.withEarlyStopping(TrainCallReader.earlyStopping(v));
            default -> throw new IllegalStateException("setting without a reader: " + key);
        };
    }

    private DataSpec data(Ast.Expr v) {
        TrainCallReader.Call source = TrainCallReader.call(v, "expected a data source such as circles(n = 1000) or idx(\"images.gz\", \"labels.gz\")");
        String kind = source.name();
        Span kindSpan = source.nameSpan();
        List<Ast.Arg> args = source.args();
        if (!DATA_KINDS.contains(kind))
            throw CheckFailure.error(kindSpan, "unknown data source '" + kind + "'",
                    TypeResolver.hintOr(Suggest.didYouMean(kind, DATA_KINDS), "the data sources are: " + String.join(", ", DATA_KINDS)));
        List<Object> positional = new ArrayList<>();
        Map<String, Object> options = new LinkedHashMap<>();
        for (Ast.Arg a : args) {
            Object value = constant(a.value());
            if (a.name() == null) positional.add(value);
            else if (options.put(a.name(), value) != null) throw CheckFailure.error(a.span(), "option '" + a.name() + "' is given twice");
        }
        int files = switch (kind) {
            case "idx" -> 2;
            case "csv" -> 1;
            default -> 0;
        };
        if (positional.size() != files || !positional.stream().allMatch(String.class::isInstance))
            throw CheckFailure.error(v.span(), switch (kind) {
                case "idx" -> "idx needs two file names: idx(\"images.gz\", \"labels.gz\")";
                case "csv" -> "csv needs one file name: csv(\"data.csv\", label = column)";
                default -> kind + " takes named options only, e.g. " + kind + "(n = 1000, noise = 0.1)";
            });
        for (Ast.Arg a : args)
            if (a.name() == null && constant(a.value()) instanceof String name && name.indexOf('\0') >= 0)
                throw CheckFailure.error(a.value().span(), "a file name cannot hold a NUL character (at position " + (name.indexOf('\0') + 1) + ")");
        checkAllowNonFinite(kind, args);
        if (SYNTHETIC.contains(kind) && options.containsKey("n")) requirePositiveWhole("n", options.get("n"), v);
        if (kind.equals("sequence") && options.containsKey("length")) requirePositiveWhole("length", options.get("length"), v);
        return new DataSpec(kind, positional, options, v.span().toString());
    }

    private TrainConfig optimizer(Ast.Expr v) {
        TrainCallReader.Call call = TrainCallReader.call(v, "expected an optimizer such as sgd(lr = 0.1) or adam(lr = 1e-3)");
        Optimizer opt = OptimizerCatalog.find(call.name()).orElseThrow(() -> CheckFailure.error(call.nameSpan(),
                "unknown optimizer '" + call.name() + "'", TypeResolver.hintOr(Suggest.didYouMean(call.name(), OptimizerCatalog.names()),
                        "the optimizers are: " + String.join(", ", OptimizerCatalog.names()))));
        Map<String, Double> options = new LinkedHashMap<>(opt.defaults());
        options.putAll(call.numbers(opt.defaults().keySet(), opt::problem));
        return config.withOptimizer(opt.name(), Collections.unmodifiableMap(options));
    }

    private static int positiveInt(String key, Ast.Expr v) {
        OptionalDouble d = ConstEval.eval(v);
        if (d.isEmpty() || d.getAsDouble() != Math.rint(d.getAsDouble()) || d.getAsDouble() < 1 || d.getAsDouble() > Integer.MAX_VALUE)
            throw CheckFailure.error(v.span(), key + " must be a whole number from 1 to " + Integer.MAX_VALUE + ", got " + shown(v, d),
                    "e.g. " + key + " " + (key.equals("batch") ? TrainConfig.DEFAULT_BATCH : TrainConfig.DEFAULT_EPOCHS));
        return (int) d.getAsDouble();
    }

    private static long seed(Ast.Expr v) {
        OptionalDouble d = ConstEval.eval(v);
        if (d.isEmpty() || d.getAsDouble() != Math.rint(d.getAsDouble()) || d.getAsDouble() < 0 || d.getAsDouble() >= 0x1p63)
            throw CheckFailure.error(v.span(), "seed must be a whole number of at least 0, got " + shown(v, d), "e.g. seed 1");
        return (long) d.getAsDouble();
    }

    private static boolean bool(String key, Ast.Expr v) {
        if (v instanceof Ast.NameRef n && (n.name().equals("true") || n.name().equals("false"))) return n.name().equals("true");
        throw CheckFailure.error(v.span(), key + " must be true or false", null);
    }

    private static void requirePositiveWhole(String option, Object value, Ast.Expr at) {
        if (!(value instanceof Double d) || d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE)
            throw CheckFailure.error(at.span(), "option '" + option + "' must be a whole number of at least 1");
    }

    /** A number (Double), string, or bare name (String) as an option value. */
    /**
     * {@code allow_nonfinite = true}: the opt-in that lets NaN and infinities through as features of
     * a CSV file (without it they are errors naming row and column); true or false, csv only.
     */
    private static void checkAllowNonFinite(String kind, List<Ast.Arg> args) {
        for (Ast.Arg a : args) {
            if (!Datasets.ALLOW_NONFINITE.equals(a.name())) continue;
            if (!kind.equals("csv"))
                throw CheckFailure.error(a.span(), "only csv(...) takes allow_nonfinite: the other sources hold finite numbers only");
            if (!(a.value() instanceof Ast.NameRef n && (n.name().equals("true") || n.name().equals("false"))))
                throw CheckFailure.error(a.value().span(), "allow_nonfinite must be true or false",
                        "allow_nonfinite = true lets NaN and infinities in the file's features reach the model");
        }
    }

    private static Object constant(Ast.Expr e) {
        OptionalDouble d = ConstEval.eval(e);
        if (d.isPresent()) {
            if (!Double.isFinite(d.getAsDouble())) throw CheckFailure.error(e.span(), "expected a finite number");
            return d.getAsDouble();
        }
        return switch (e) {
            case Ast.StringLit s -> s.value();
            case Ast.NameRef n -> n.name();
            default -> throw CheckFailure.error(e.span(), "expected a number, a string or a name");
        };
    }

    private static String shown(Ast.Expr v, OptionalDouble d) {
        if (d.isPresent()) return ConstEval.show(d.getAsDouble());
        return v instanceof Ast.NameRef n ? "'" + n.name() + "'" : "an expression";
    }

}
