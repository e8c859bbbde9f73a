package nnc.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import nnc.check.CheckedModel;
import nnc.driver.Compilation;
import nnc.optim.OptimizerCatalog;
import nnc.optim.TrainConfig;
import nnc.runtime.data.DataSpec;
import nnc.syntax.Ast;

/**
 * Reads a checked program back into the controls' view: its {@link Network} when the model is a
 * chain of dense layers from a 2-feature input to one logit trained with {@code bce_with_logits},
 * and its {@link Program} when, in addition, the train block and the sizes are within the
 * controls. Otherwise it says why not.
 */
public final class ProgramReader {
    /** What a source is to the controls: {@code program} or else {@code why}; {@code network} whenever the model has the form. */
    public record View(Program program, Network network, String why) {}

    private static final Map<String, String> ACTIVATIONS = Map.of("tanh", "tanh", "relu", "relu", "sigmoid", "sigmoid");

    private ProgramReader() {}

    /** The controls' view of {@code c}'s model and train block. */
    public static View read(Compilation c) {
        Network network;
        String regularization;
        double regRate;
        try {
            network = network(c.model());
            Ast.Expr loss = c.model().loss();
            if (loss instanceof Ast.BinaryExpr b && b.op().equals("+")) {
                if (!(b.right() instanceof Ast.BinaryExpr r && r.op().equals("*") && r.left() instanceof Ast.NumberLit rate
                        && r.right() instanceof Ast.Call reg && (reg.callee().equals("l1") || reg.callee().equals("l2"))
                        && reg.args().size() == 1 && reg.args().get(0).value() instanceof Ast.NameRef p && p.name().equals("params")))
                    throw new NotInForm("the loss adds something other than RATE * l1(params) or RATE * l2(params)");
                regularization = reg.callee();
                regRate = rate.value();
            } else {
                regularization = "none";
                regRate = 0;
            }
        } catch (NotInForm e) {
            return new View(null, null, e.getMessage());
        }
        try {
            return new View(program(c.train(), network, regularization, regRate), network, null);
        } catch (NotInForm | IllegalArgumentException e) {
            return new View(null, network, e.getMessage());
        }
    }

    /** The dense chain of {@code m}, or {@link NotInForm}. */
    static Network network(CheckedModel m) {
        if (m.inputs().size() != 1 || !m.inputs().get(0).type().toString().equals("f32[batch,2]"))
            throw new NotInForm("the model's input is not f32[batch, 2]");
        if (m.targets().size() != 1 || !m.targets().get(0).type().toString().equals("f32[batch,1]"))
            throw new NotInForm("the model's target is not f32[batch, 1]");
        String previous = m.inputs().get(0).name(), target = m.targets().get(0).name();
        List<Integer> layers = new ArrayList<>(List.of(2));
        List<String> weights = new ArrayList<>(), biases = new ArrayList<>();
        String activation = null, logits = null;
        boolean sawOutput = false, sawLoss = false;
        for (Ast.Stmt s : m.decl().body()) {
            switch (s) {
                case Ast.InputDecl i -> { }
                case Ast.LetDecl let when !let.output() -> {
                    if (logits != null) throw new NotInForm("`" + logits + "` is followed by another layer: only the last layer may be linear with one unit");
                    Ast.Expr v = let.value();
                    String act = "linear";
                    if (v instanceof Ast.Call call && ACTIVATIONS.containsKey(call.callee()) && call.args().size() == 1) {
                        act = ACTIVATIONS.get(call.callee());
                        v = call.args().get(0).value();
                    }
                    int width = denseWidth(v, previous);
                    if (act.equals("linear") && width == 1 && lastOfChain(m, let)) {
                        logits = let.name();
                    } else {
                        if (activation != null && !activation.equals(act))
                            throw new NotInForm("hidden layers use different activations (" + activation + ", " + act + ")");
                        activation = act;
                    }
                    layers.add(width);
                    weights.add(let.name() + ".W");
                    biases.add(let.name() + ".b");
                    previous = let.name();
                }
                case Ast.LetDecl out -> {
                    if (logits == null || sawOutput || !(out.value() instanceof Ast.Call call && call.callee().equals("sigmoid")
                            && call.args().size() == 1 && call.args().get(0).value() instanceof Ast.NameRef r && r.name().equals(logits)))
                        throw new NotInForm("the output is not sigmoid of the last layer");
                    sawOutput = true;
                }
                case Ast.LossDecl loss -> {
                    Ast.Expr v = loss.value() instanceof Ast.BinaryExpr b && b.op().equals("+") ? b.left() : loss.value();
                    if (!(v instanceof Ast.Call call && call.callee().equals("bce_with_logits") && call.args().size() == 2
                            && call.args().get(0).value() instanceof Ast.NameRef a && a.name().equals(logits)
                            && call.args().get(1).value() instanceof Ast.NameRef t && t.name().equals(target)))
                        throw new NotInForm("the loss is not bce_with_logits(LOGITS, TARGET) of the last layer");
                    sawLoss = true;
                }
                default -> throw new NotInForm("the model has a line the controls do not show (line " + s.span().line() + ")");
            }
        }
        if (logits == null || !sawOutput || !sawLoss) throw new NotInForm("the model does not end in dense(.., 1), output sigmoid and a bce_with_logits loss");
        return new Network(layers, activation == null ? "tanh" : activation, weights, biases);
    }

    /** True when {@code let} is the last non-output binding of the model. */
    private static boolean lastOfChain(CheckedModel m, Ast.LetDecl let) {
        Ast.LetDecl last = null;
        for (Ast.Stmt s : m.decl().body()) if (s instanceof Ast.LetDecl l && !l.output()) last = l;
        return last == let;
    }

    /** The width of {@code dense(previous, K)}. */
    private static int denseWidth(Ast.Expr v, String previous) {
        if (v instanceof Ast.Call call && call.callee().equals("dense") && call.args().size() == 2
                && call.args().get(0).name() == null && call.args().get(0).value() instanceof Ast.NameRef r && r.name().equals(previous)
                && call.args().get(1).name() == null && call.args().get(1).value() instanceof Ast.NumberLit k)
            return (int) k.value();
        throw new NotInForm("a layer is not ACTIVATION(dense(" + previous + ", K)) (line " + v.span().line() + ")");
    }

    private static Program program(TrainConfig cfg, Network net, String regularization, double regRate) {
        DataSpec data = cfg.data();
        if (data == null || !Program.DATASETS.contains(data.kind()) || !data.args().isEmpty())
            throw new NotInForm("the data is not one of circles, xor, gaussians, spiral");
        for (String k : data.options().keySet())
            if (!k.equals("n") && !k.equals("noise")) throw new NotInForm("the data source has option " + k);
        int train = (int) option(data, "n", 1000), test = 0;
        double noise = option(data, "noise", 0.1);
        DataSpec val = cfg.validate();
        if (val != null) {
            if (!val.kind().equals(data.kind()) || !val.args().isEmpty() || option(val, "noise", 0.1) != noise
                    || !val.options().keySet().stream().allMatch(k -> k.equals("n") || k.equals("noise")))
                throw new NotInForm("the validation set is not the same source as the training data");
            test = (int) option(val, "n", 1000);
        }
        if (!Program.OPTIMIZERS.contains(cfg.optimizer())) throw new NotInForm("the optimizer is not sgd, momentum or adam");
        Map<String, Double> defaults = OptimizerCatalog.named(cfg.optimizer()).defaults();
        for (var e : cfg.optimizerOptions().entrySet())
            if (!e.getKey().equals("lr") && !Objects.equals(e.getValue(), defaults.get(e.getKey())))
                throw new NotInForm("the optimizer has option " + e.getKey() + " = " + e.getValue());
        if (cfg.clipping() != null || !cfg.schedule().isConstant() || cfg.earlyStopping() != null || !cfg.shuffle())
            throw new NotInForm("the train block has settings the controls do not show (clipping, schedule, early stopping or shuffle)");
        int n = train + test;
        double fraction = n == 0 ? 0 : (double) test / n;
        return new Program(data.kind(), n, noise, fraction, cfg.batch(), net.layers().subList(1, net.layers().size() - 1),
                net.activation(), cfg.optimizer(), cfg.optimizerOptions().getOrDefault("lr", defaults.get("lr")),
                regularization, regRate, cfg.epochs(), cfg.seed());
    }

    private static double option(DataSpec d, String key, double otherwise) {
        Object v = d.options().get(key);
        return v instanceof Number x ? x.doubleValue() : otherwise;
    }

    /** The source is outside the playground's form; the message says where. */
    static final class NotInForm extends RuntimeException {
        NotInForm(String message) { super(message, null, false, false); }
    }
}
