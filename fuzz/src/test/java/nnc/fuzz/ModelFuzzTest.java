package nnc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The front end on well-formed programs built from the fuzzer's choices: an input of rank 2, 4 or
 * a token sequence, up to eight layer calls, arithmetic, reductions and reshapes with small (and
 * sometimes zero, negative or wrong) sizes, a loss, and a train block. Unlike {@link FrontEndFuzzTest}
 * most of these parse, so the fuzzer spends its time in the checker and, when a program checks, in
 * lowering, autodiff, the passes, the scheduler and the memory planner. Property: as {@link FrontEndFuzzTest}.
 */
class ModelFuzzTest {
    private static final Path DIR = UserFacing.scratch("model");
    private static final Path FILE = DIR.resolve("model.nn");

    static {
        FILE.toFile().deleteOnExit();
    }

    private static final String[] UNARY = {"relu", "tanh", "sigmoid", "gelu", "softplus", "exp", "abs", "log", "sqrt",
            "softmax", "log_softmax", "layer_norm", "flatten", "identity", "batch_norm", "last", "transpose"};
    private static final String[] BINARY = {"+", "-", "*", "/", "@"};
    private static final String[] LOSSES = {"cross_entropy", "mse", "mae", "bce", "bce_with_logits", "nll"};
    private static final String[] OPTIMIZERS = {"sgd(lr = 0.1)", "adam(lr = 1e-3)", "adamw(lr = 1e-3, weight_decay = 0.1)",
            "momentum(lr = 0.1, momentum = 0.9)", "rmsprop(lr = 0.01)", "nesterov(lr = 0.1)", "adam()", "sgd(lr = -1)"};

    @FuzzTest
    void layers(FuzzedDataProvider in) {
        String program = program(in);
        UserFacing.acceptOrRefuse(FILE.toString(), () -> {
            Files.writeString(FILE, program);
            FrontEndFuzzTest.compile(FILE);
        });
    }

    /** What the generator believes the current value is: [batch, d], [batch, c, h, w], or a sequence [batch, time, d]. */
    private enum Kind { FLAT, IMAGES, SEQUENCE, TOKENS }

    static String program(FuzzedDataProvider in) {
        StringBuilder s = new StringBuilder("model Fuzz {\n");
        List<String> names = new ArrayList<>();
        Kind kind = in.pickValue(Kind.values());
        switch (kind) {
            case FLAT -> s.append("  input x: f32[batch, ").append(size(in)).append("]\n");
            case IMAGES -> s.append("  input x: f32[batch, ").append(size(in)).append(", ").append(size(in) + 4).append(", ").append(size(in) + 4).append("]\n");
            default -> {
                s.append("  input x: i32[batch, time]\n");
                kind = Kind.TOKENS;
            }
        }
        names.add("x");
        boolean tokens = kind == Kind.TOKENS;
        int statements = in.consumeInt(1, 8);
        for (int i = 0; i < statements; i++) {
            String h = "h" + i;
            String a = in.consumeInt(0, 9) == 0 ? in.pickValue(names) : names.get(names.size() - 1);
            Step step = in.consumeInt(0, 9) == 0 ? new Step(expression(in, a, names), kind) : step(in, a, kind);
            s.append("  ").append(h).append(" = ").append(step.text()).append('\n');
            names.add(h);
            kind = step.kind();
        }
        String last = names.get(names.size() - 1);
        String loss = in.pickValue(LOSSES);
        boolean classes = loss.equals("cross_entropy") || loss.equals("nll");
        int width = size(in);
        boolean sequence = kind == Kind.SEQUENCE || kind == Kind.TOKENS;
        if (in.consumeInt(0, 5) > 0) s.append("  output logits = dense(").append(kind == Kind.IMAGES ? "flatten(" + last + ")" : last).append(", ").append(width).append(")\n");
        else s.append("  output logits = ").append(last).append('\n');
        s.append("  target y: ").append(classes ? "i32[batch" : "f32[batch").append(sequence ? ", time" : "");
        if (!classes) s.append(", ").append(in.consumeInt(0, 9) == 0 ? size(in) : width);
        s.append("]\n");
        s.append("  loss ").append(loss).append("(logits, y)\n");
        if (classes && in.consumeBoolean()) s.append("  metric accuracy(logits, y)\n");
        s.append("}\ntrain {\n  optimizer ").append(in.pickValue(OPTIMIZERS)).append('\n');
        if (in.consumeBoolean()) s.append("  batch ").append(in.consumeInt(-1, 64)).append('\n');
        if (tokens || in.consumeInt(0, 9) == 0)
            s.append("  data sequence(n = 10, length = ").append(in.consumeInt(0, 12)).append(", vocab = ").append(in.consumeInt(1, 9) == 0 ? size(in) : 7).append(")\n");
        if (in.consumeInt(0, 3) == 0) s.append("  clipping norm(").append(in.consumeInt(-1, 3)).append(")\n");
        if (in.consumeInt(0, 3) == 0) s.append("  schedule cosine(steps = ").append(in.consumeInt(0, 100)).append(")\n");
        return s.append("}\n").toString();
    }

    private record Step(String text, Kind kind) {}

    /** A layer that fits {@code kind}, mostly. */
    private static Step step(FuzzedDataProvider in, String a, Kind kind) {
        return switch (kind) {
            case TOKENS -> new Step("embedding(" + a + ", vocab = " + (in.consumeInt(0, 9) == 0 ? size(in) : 7) + ", dim = " + (2 * small(in)) + ")", Kind.SEQUENCE);
            case IMAGES -> switch (in.consumeInt(0, 4)) {
                case 0, 1 -> new Step("conv2d(" + a + ", " + size(in) + ", kernel = " + small(in) + ", padding = " + small(in)
                        + (in.consumeBoolean() ? ", stride = " + small(in) : "") + ")", Kind.IMAGES);
                case 2 -> new Step((in.consumeBoolean() ? "max_pool2d(" : "avg_pool2d(") + a + ", " + small(in)
                        + (in.consumeBoolean() ? ", stride = " + small(in) : "") + ")", Kind.IMAGES);
                case 3 -> new Step(in.pickValue(UNARY) + "(" + a + ")", Kind.IMAGES);
                default -> new Step("flatten(" + a + ")", Kind.FLAT);
            };
            case SEQUENCE -> switch (in.consumeInt(0, 6)) {
                case 0 -> new Step(in.pickValue(new String[] {"rnn", "lstm", "gru"}) + "(" + a + ", " + size(in) + ")", Kind.SEQUENCE);
                case 1 -> new Step("multi_head_attention(" + a + ", heads = " + small(in) + (in.consumeBoolean() ? ", causal = true" : "") + ")", Kind.SEQUENCE);
                case 2 -> new Step("transformer_block(" + a + ", heads = " + small(in) + ", hidden = " + size(in) + ")", Kind.SEQUENCE);
                case 3 -> new Step("last(" + a + ")", Kind.FLAT);
                case 4 -> new Step("dense(" + a + ", " + size(in) + ")", Kind.SEQUENCE);
                case 5 -> new Step("merge_heads(split_heads(" + a + ", " + small(in) + "))", Kind.SEQUENCE);
                default -> new Step(in.pickValue(UNARY) + "(" + a + ")", Kind.SEQUENCE);
            };
            default -> switch (in.consumeInt(0, 4)) {
                case 0, 1 -> new Step("dense(" + a + ", " + size(in) + ")", Kind.FLAT);
                case 2 -> new Step("dropout(" + a + ", p = " + in.consumeInt(-1, 11) / 10.0 + ")", Kind.FLAT);
                case 3 -> new Step(a + " " + in.pickValue(BINARY) + " " + a, Kind.FLAT);
                default -> new Step(in.pickValue(UNARY) + "(" + a + ")", Kind.FLAT);
            };
        };
    }

    /** Any expression: the checker decides. */
    private static String expression(FuzzedDataProvider in, String a, List<String> names) {
        return switch (in.consumeInt(0, 17)) {
            case 0, 1 -> in.pickValue(UNARY) + "(" + a + ")";
            case 2, 3 -> "dense(" + a + ", " + size(in) + ")";
            case 4 -> a + " " + in.pickValue(BINARY) + " " + in.pickValue(names);
            case 5 -> "conv2d(" + a + ", " + size(in) + ", kernel = " + small(in) + ", padding = " + small(in) + ", stride = " + small(in) + ")";
            case 6 -> (in.consumeBoolean() ? "max_pool2d(" : "avg_pool2d(") + a + ", " + small(in) + (in.consumeBoolean() ? ", stride = " + small(in) : "") + ")";
            case 7 -> "embedding(" + a + ", vocab = " + size(in) + ", dim = " + size(in) + ")";
            case 8 -> in.pickValue(new String[] {"rnn", "lstm", "gru"}) + "(" + a + ", " + size(in) + ")";
            case 9 -> in.pickValue(new String[] {"sum", "mean", "max"}) + "(" + a + (in.consumeBoolean() ? ", axis = " + in.consumeInt(-2, 4) : "") + ")";
            case 10 -> "reshape(" + a + ", batch, " + in.consumeInt(-1, 16) + (in.consumeBoolean() ? ", " + in.consumeInt(-1, 16) : "") + ")";
            case 11 -> "dropout(" + a + ", p = " + in.consumeInt(-1, 11) / 10.0 + ")";
            case 12 -> "multi_head_attention(" + a + ", heads = " + small(in) + (in.consumeBoolean() ? ", causal = true" : "") + ")";
            case 13 -> "split_heads(" + a + ", " + small(in) + ")";
            case 14 -> "merge_heads(" + a + ")";
            case 15 -> "leaky_relu(" + a + ", alpha = " + in.consumeInt(-5, 5) / 10.0 + ")";
            case 16 -> "(" + a + " " + in.pickValue(BINARY) + " " + in.consumeInt(-2, 3) + ")";
            default -> "transformer_block(" + a + ", heads = " + small(in) + ", hidden = " + size(in) + ")";
        };
    }

    /** A size: mostly small, sometimes 1, rarely 0, negative or large. */
    private static int size(FuzzedDataProvider in) {
        return switch (in.consumeInt(0, 19)) {
            case 0 -> in.consumeInt(-3, 0);
            case 1 -> in.consumeInt(1000, 70_000);
            case 2, 3 -> 1;
            default -> in.consumeInt(2, 12);
        };
    }

    private static int small(FuzzedDataProvider in) { return in.consumeInt(0, 9) == 0 ? 0 : in.consumeInt(1, 4); }
}
