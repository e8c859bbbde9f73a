package nnc.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.check.CheckedModel;
import nnc.check.TrainConfig;
import nnc.driver.Backend;
import nnc.driver.FrontEnd;
import nnc.driver.TrainStepBuilder;

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
            for (FrontEnd.Loaded loaded : FrontEnd.loadAll(FrontEnd.read(FILE))) {
                CheckedModel m = loaded.model();
                if (!FrontEndFuzzTest.small(m)) continue;
                TrainConfig cfg = m.train() == null ? TrainConfig.defaults() : m.train();
                Backend.program(TrainStepBuilder.build(m, cfg).optimized());
            }
        });
    }

    static String program(FuzzedDataProvider in) {
        StringBuilder s = new StringBuilder("model Fuzz {\n");
        List<String> names = new ArrayList<>();
        switch (in.consumeInt(0, 2)) {
            case 0 -> s.append("  input x: f32[batch, ").append(size(in)).append("]\n");
            case 1 -> s.append("  input x: f32[batch, ").append(size(in)).append(", ").append(size(in)).append(", ").append(size(in)).append("]\n");
            default -> s.append("  input x: i32[batch, time]\n");
        }
        names.add("x");
        int statements = in.consumeInt(1, 8);
        for (int i = 0; i < statements; i++) {
            String h = "h" + i;
            s.append("  ").append(h).append(" = ").append(expression(in, names)).append('\n');
            names.add(h);
        }
        String last = names.get(names.size() - 1);
        String loss = in.pickValue(LOSSES);
        boolean classes = loss.equals("cross_entropy") || loss.equals("nll");
        if (in.consumeBoolean()) s.append("  output logits = dense(").append(last).append(", ").append(size(in)).append(")\n");
        else s.append("  output logits = ").append(last).append('\n');
        s.append("  target y: ").append(classes ? "i32[batch" : "f32[batch");
        int targetRank = in.consumeInt(0, 2);
        for (int i = 0; i < targetRank; i++) s.append(", ").append(i == 0 && in.consumeBoolean() ? "time" : Integer.toString(size(in)));
        s.append("]\n");
        s.append("  loss ").append(loss).append("(logits, y)\n");
        if (classes && in.consumeBoolean()) s.append("  metric accuracy(logits, y)\n");
        s.append("}\ntrain {\n  optimizer ").append(in.pickValue(OPTIMIZERS)).append('\n');
        if (in.consumeBoolean()) s.append("  batch ").append(in.consumeInt(-1, 64)).append('\n');
        if (in.consumeBoolean()) s.append("  data sequence(n = 10, length = ").append(in.consumeInt(0, 9)).append(", vocab = 7)\n");
        if (in.consumeBoolean()) s.append("  clipping norm(").append(in.consumeInt(-1, 3)).append(")\n");
        if (in.consumeBoolean()) s.append("  schedule cosine(steps = ").append(in.consumeInt(0, 100)).append(")\n");
        return s.append("}\n").toString();
    }

    private static String expression(FuzzedDataProvider in, List<String> names) {
        String a = in.pickValue(names);
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
            default -> "transformer_block(" + a + ", heads = " + small(in) + ")";
        };
    }

    /** A size: mostly small, sometimes 0, 1 or large. */
    private static int size(FuzzedDataProvider in) {
        return switch (in.consumeInt(0, 9)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> in.consumeInt(-3, 70_000);
            default -> in.consumeInt(2, 12);
        };
    }

    private static int small(FuzzedDataProvider in) { return in.consumeInt(0, 6); }
}
