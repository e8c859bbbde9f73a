package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import nnc.check.CheckedModel.ResolvedCall;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import nnc.optim.TrainConfig;
import nnc.runtime.Init;
import nnc.runtime.data.DataSpec;
import nnc.syntax.Ast;
import nnc.syntax.Parser;
import org.junit.jupiter.api.Test;

class CheckerTest {
    static Checker.CheckResult check(String text) { return Checker.check(Parser.parse(new SourceFile("t.nn", text))); }

    /** The only model of {@code text}, which must check without diagnostics. */
    static CheckedModel model(String text) {
        Checker.CheckResult r = check(text);
        assertEquals(List.of(), r.diagnostics());
        assertEquals(1, r.models().size());
        return r.models().get(0);
    }

    static CheckedModel sample(String name) throws IOException {
        Path p = Path.of("../samples", name);
        Checker.CheckResult r = Checker.check(Parser.parse(new SourceFile(p.toString(), Files.readString(p))));
        assertEquals(List.of(), r.diagnostics());
        return r.models().get(0);
    }

    static Ast.Expr binding(CheckedModel m, String name) {
        for (Ast.Stmt s : m.decl().body()) if (s instanceof Ast.LetDecl d && d.name().equals(name)) return d.value();
        throw new AssertionError("no binding " + name);
    }

    static String type(CheckedModel m, Ast.Expr e) { return m.typeOf(e).toString(); }

    /** name → "type init" for every parameter, in order. */
    static Map<String, String> params(CheckedModel m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (CheckedModel.Param p : m.params()) out.put(p.name(), p.type() + " " + p.init().encode());
        return out;
    }

    static void forEachExpr(Ast.Expr e, Consumer<Ast.Expr> f) {
        f.accept(e);
        switch (e) {
            case Ast.Negate n -> forEachExpr(n.operand(), f);
            case Ast.BinaryExpr b -> { forEachExpr(b.left(), f); forEachExpr(b.right(), f); }
            case Ast.Call c -> c.args().forEach(a -> forEachExpr(a.value(), f));
            case Ast.Tuple t -> t.items().forEach(i -> forEachExpr(i, f));
            default -> { }
        }
    }

    /** Every expression node of the model body has a type. */
    static void assertAllTyped(CheckedModel m) {
        List<Ast.Expr> untyped = new ArrayList<>();
        for (Ast.Stmt s : m.decl().body()) {
            Ast.Expr root = switch (s) {
                case Ast.ParamDecl d -> d.init();
                case Ast.LetDecl d -> d.value();
                case Ast.LossDecl d -> d.value();
                case Ast.MetricDecl d -> d.value();
                case Ast.InputDecl d -> null;
            };
            if (root != null) forEachExpr(root, e -> { if (!m.types().containsKey(e)) untyped.add(e); });
        }
        assertEquals(List.of(), untyped);
    }

    @Test
    void playground() throws IOException {
        CheckedModel m = sample("playground.nn");
        assertEquals(Map.of(
                "h.W", "f32[2,3] xavier", "h.b", "f32[3] const:0.0",
                "logits.W", "f32[3,1] xavier", "logits.b", "f32[1] const:0.0"), params(m));
        assertEquals(List.of("h.W", "h.b", "logits.W", "logits.b"), m.params().stream().map(CheckedModel.Param::name).toList());
        assertEquals("[x f32[batch,2]]", m.inputs().stream().map(v -> v.name() + " " + v.type()).toList().toString());
        assertEquals("[y f32[batch,1]]", m.targets().stream().map(v -> v.name() + " " + v.type()).toList().toString());
        assertEquals("[p f32[batch,1]]", m.outputs().stream().map(v -> v.name() + " " + v.type()).toList().toString());
        assertEquals(List.of("accuracy:p:y:0.5"), m.metrics());

        Ast.Call h = (Ast.Call) binding(m, "h");
        Ast.Call dense = (Ast.Call) h.args().get(0).value();
        assertEquals("f32[batch,3]", type(m, h));
        assertEquals("f32[batch,3]", type(m, dense));
        assertEquals("f32[]", type(m, dense.args().get(1).value()));
        assertEquals(new ResolvedCall("dense", List.of(dense.args().get(0).value()), Map.of("units", 3.0), Map.of("W", "h.W", "b", "h.b")),
                m.calls().get(dense));
        assertEquals(new ResolvedCall("sigmoid", List.of(dense), Map.of(), Map.of()), m.calls().get(h));
        assertEquals("f32[batch,1]", type(m, binding(m, "logits")));
        assertEquals("f32[]", type(m, m.loss()));
        assertEquals("bce_with_logits", m.calls().get((Ast.Call) m.loss()).builtin());
        assertAllTyped(m);

        TrainConfig t = m.train();
        assertEquals("circles", t.data().kind());
        assertEquals(Map.of("n", 1000.0, "noise", 0.1), t.data().options());
        assertEquals(List.of(), t.data().args());
        assertEquals("../samples/playground.nn:10:13", t.data().origin());
        assertNull(t.validate());
        assertEquals("sgd", t.optimizer());
        assertEquals(Map.of("lr", 0.5, "weight_decay", 0.0), t.optimizerOptions());
        assertEquals(10, t.batch());
        assertEquals(100, t.epochs());
        assertEquals(1L, t.seed());
        assertTrue(t.shuffle());
    }

    @Test
    void fashionMlp() throws IOException {
        CheckedModel m = sample("fashion_mlp.nn");
        assertEquals(List.of("h.W f32[784,128] xavier", "h.b f32[128] const:0.0", "logits.W f32[128,10] xavier", "logits.b f32[10] const:0.0"),
                params(m).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
        assertEquals("i32[batch]", m.targets().get(0).type().toString());
        assertEquals("f32[batch,10]", type(m, binding(m, "logits")));
        assertEquals(List.of("accuracy:logits:y:0"), m.metrics());
        assertEquals(List.of("logits"), m.outputs().stream().map(CheckedModel.Value::name).toList());
        assertAllTyped(m);
        TrainConfig t = m.train();
        String dir = "/usr/share/datasets/fashion-mnist/";
        assertEquals(new DataSpec("idx", List.of(dir + "train-images-idx3-ubyte.gz", dir + "train-labels-idx1-ubyte.gz"),
                Map.of("scale", 1.0 / 255), "../samples/fashion_mlp.nn:11:13"), t.data());
        assertEquals(List.of(dir + "t10k-images-idx3-ubyte.gz", dir + "t10k-labels-idx1-ubyte.gz"), t.validate().args());
        assertEquals("adam", t.optimizer());
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0), t.optimizerOptions());
        assertEquals(List.of(64, 1), List.of(t.batch(), t.epochs()));
        assertEquals(1L, t.seed());
        assertTrue(t.shuffle());
    }

    @Test
    void workedExample() throws IOException {
        CheckedModel m = sample("worked.nn");
        assertEquals(List.of("w1 f32[1,1] const:5.0", "b1 f32[1] const:0.0", "w2 f32[1,1] const:-1.0", "b2 f32[1] const:1.0"),
                params(m).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
        Ast.BinaryExpr z = (Ast.BinaryExpr) binding(m, "z");
        assertEquals("+", z.op());
        assertEquals("f32[batch,1]", type(m, z));
        Ast.Call sum = (Ast.Call) m.loss();
        Ast.BinaryExpr square = (Ast.BinaryExpr) sum.args().get(0).value();
        assertEquals("^", square.op());
        assertEquals("f32[batch,1]", type(m, square));
        assertEquals("f32[]", type(m, square.right()));
        assertEquals("f32[]", type(m, sum));
        assertEquals(List.of(), m.metrics());
        assertEquals(TrainConfig.defaults(), m.train());
        assertAllTyped(m);
    }

    @Test
    void housing() throws IOException {
        CheckedModel m = sample("housing.nn");
        assertEquals(Map.of("w", "f32[1,1] normal:0.0:0.1", "b", "f32[1] const:0.0"), params(m));
        assertEquals(List.of(), m.metrics());
        assertEquals("csv", m.train().data().kind());
        assertEquals(List.of("data/housing.csv"), m.train().data().args());
        assertEquals(Map.of("label", "price"), m.train().data().options());
        assertEquals(List.of("sgd", 16, 50, 1L), List.of(m.train().optimizer(), m.train().batch(), m.train().epochs(), m.train().seed()));
        assertEquals(Map.of("lr", 0.05, "weight_decay", 0.0), m.train().optimizerOptions());
    }

    @Test
    void severalLayerCallsInOneBindingAreNumberedInnermostFirst() {
        CheckedModel m = model("""
                model M { input x: f32[batch, 2]  target y: f32[batch, 1]
                  h = dense(relu(dense(x, 4)), 5) + dense(x, 5)
                  loss mse(dense(h, 1), y) }
                """);
        assertEquals(List.of("h.dense1.W f32[2,4] xavier", "h.dense1.b f32[4] const:0.0", "h.dense2.W f32[4,5] xavier",
                        "h.dense2.b f32[5] const:0.0", "h.dense3.W f32[2,5] xavier", "h.dense3.b f32[5] const:0.0",
                        "loss.W f32[5,1] xavier", "loss.b f32[1] const:0.0"),
                params(m).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    @Test
    void layerParametersCanBeUsedByLaterStatements() {
        CheckedModel m = model("""
                model M { input x: f32[batch, 3]  target y: f32[batch, 2]
                  output logits = dense(x, 2)
                  loss mse(logits, y) + 1e-4 * sum(logits.W * logits.W) }
                """);
        Ast.BinaryExpr loss = (Ast.BinaryExpr) m.loss();
        Ast.BinaryExpr penalty = (Ast.BinaryExpr) loss.right();
        Ast.Call sum = (Ast.Call) penalty.right();
        assertEquals("f32[3,2]", type(m, sum.args().get(0).value()));
        assertEquals("f32[]", type(m, loss));
    }

    @Test
    void declaredParametersDefaultToXavierForMatricesAndZerosOtherwise() {
        CheckedModel m = model("""
                model M { input x: f32[batch, 4]  target y: f32[batch, 1]
                  param w: f32[4, 1]  param b: f32[1]  param s: f32[] = ones
                  param u: f32[4, 1] = uniform(-0.1, 0.1)  param v: f32[4, 1] = he  param c: f32[1] = -2 * 0.25
                  loss bce(sigmoid(x @ w + x @ u + x @ v + b + c), y) * s }
                """);
        assertEquals(Map.of("w", "f32[4,1] xavier", "b", "f32[1] const:0.0", "s", "f32[] const:1.0",
                "u", "f32[4,1] uniform:-0.1:0.1", "v", "f32[4,1] he", "c", "f32[1] const:-0.5"), params(m));
        assertAllTyped(m);
    }

    @Test
    void reductionsSoftmaxAndLosses() {
        CheckedModel m = model("""
                model M { input x: f32[batch, 6]  target y: f32[batch, 3]  target k: i32[batch]
                  a = mean(x, axis = -1)
                  b = sum(x, axis = 0)
                  output p = softmax(dense(x, 3))
                  q = log_softmax(p)
                  loss cross_entropy(p, y) + cross_entropy(p, k) + nll(q, k) + mse(p, y) + mae(p, y) + bce(p, y)
                       + mean(a) + sum(b) + sum(sqrt(abs(exp(log(tanh(x)))))) }
                """);
        Ast.Call a = (Ast.Call) binding(m, "a");
        assertEquals("f32[batch]", type(m, a));
        assertEquals(Map.of("axis", List.of(1.0), "keepdim", false), m.calls().get(a).options(), "the axis recorded 0-based, as a list");
        assertEquals("f32[6]", type(m, binding(m, "b")));
        assertEquals("f32[batch,3]", type(m, binding(m, "q")));
        assertEquals("f32[]", type(m, m.loss()));
        assertEquals(List.of(), m.metrics(), "two targets: no default metric");
        assertAllTyped(m);
    }

    @Test
    void theLectureExamplesOfSection4Check() {
        Checker.CheckResult r = check("""
                model Logistic { input x: f32[batch, 4]  target y: f32[batch, 1]
                                 param w: f32[4, 1] = zeros  param b: f32[1] = zeros
                                 loss bce(sigmoid(x @ w + b), y) }
                model Softmax  { input x: f32[batch, 64]  target y: i32[batch]
                                 output probs = softmax(dense(x, 10))
                                 loss nll(log(probs), y) }
                """);
        assertEquals(List.of(), r.diagnostics());
        assertEquals(List.of("Logistic", "Softmax"), r.models().stream().map(m -> m.decl().name()).toList());
        assertEquals(List.of(), r.models().get(0).metrics(), "no output to measure");
        assertEquals(List.of("accuracy:probs:y:0"), r.models().get(1).metrics());
        assertEquals(List.of("probs.W", "probs.b"), r.models().get(1).params().stream().map(CheckedModel.Param::name).toList());
    }

    @Test
    void aMetricOnABindingExportsIt() {
        CheckedModel m = model("""
                model M { input x: f32[batch, 2]  target y: f32[batch, 1]
                  z = dense(x, 1)
                  s = sigmoid(z)
                  output p = s
                  loss bce_with_logits(z, y)
                  metric accuracy(s, y) }
                """);
        assertEquals(List.of("accuracy:s:y:0.5"), m.metrics());
        assertEquals(List.of("p", "s"), m.outputs().stream().map(CheckedModel.Value::name).toList());
        Ast.Call acc = (Ast.Call) ((Ast.MetricDecl) m.decl().body().get(6)).value();
        assertEquals("accuracy", m.calls().get(acc).builtin());
        assertAllTyped(m);
    }

    @Test
    void warningsDoNotDropTheModelButErrorsDo() {
        Checker.CheckResult r = check("""
                model Good { input x: f32[batch, 1]  target y: f32[batch, 1]  param spare: f32[1]  loss mse(x, y) }
                model Bad  { input x: f32[batch, 1]  target y: f32[batch, 1]  loss mse(x, z) }
                """);
        assertEquals(List.of("Good"), r.models().stream().map(m -> m.decl().name()).toList());
        assertEquals(List.of("WARNING parameter 'spare' is never used", "ERROR unknown name 'z'"),
                r.diagnostics().stream().map(d -> d.severity() + " " + d.message()).toList());
        assertTrue(r.hasErrors());
    }

    @Test
    void aBrokenTrainBlockDropsEveryModel() {
        Checker.CheckResult r = check("model M { input x: f32[batch, 1]  target y: f32[batch, 1]  loss mse(x, y) }  train { batch -1 }");
        assertEquals(List.of(), r.models());
        assertEquals(List.of("batch must be a whole number from 1 to 2147483647, got -1"),
                r.diagnostics().stream().map(Diagnostic::message).toList());
    }

    @Test
    void trainBlockOptions() {
        CheckedModel m = model("""
                model M { input x: f32[batch, 1]  target y: f32[batch, 1]  loss mse(x, y) }
                train { optimizer adam(beta2 = 0.99)  shuffle false  seed 42  data csv("d.csv", label = price)
                        validate xor(n = 200) }
                """);
        TrainConfig t = m.train();
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.99, "eps", 1e-8, "weight_decay", 0.0), t.optimizerOptions());
        assertFalse(t.shuffle());
        assertEquals(42L, t.seed());
        assertEquals(List.of("d.csv"), t.data().args());
        assertEquals(Map.of("label", "price"), t.data().options());
        assertEquals(new DataSpec("xor", List.of(), Map.of("n", 200.0), "t.nn:3:18"), t.validate());
        assertEquals(TrainConfig.DEFAULT_BATCH, t.batch());
    }

    @Test
    void declaredInitialisersAreRuntimeInits() {
        CheckedModel m = model("model M { input x: f32[batch, 1]  target y: f32[batch, 1]  param w: f32[1, 1] = normal(0, 0.1)  loss mse(x @ w, y) }");
        assertEquals(new Init.Normal(0, 0.1), m.params().get(0).init());
    }

    @Test
    void unaryMinusBindsLooserThanPower() {
        CheckedModel m = model("model M { input x: f32[batch, 1]  target y: f32[batch, 1]  output z = -x ^ 2 + y  loss mean(z) }");
        Ast.BinaryExpr z = (Ast.BinaryExpr) binding(m, "z");
        Ast.Negate neg = (Ast.Negate) z.left();
        assertEquals("^", ((Ast.BinaryExpr) neg.operand()).op());
        assertEquals("f32[batch,1]", type(m, neg));
    }

    /**
     * Layer parameters in a scan body are named after the scan and the body binding, which counts
     * the carry as the name's first binding: as docs/language.md and the README say.
     */
    @Test
    void scanBodyLayersAreNamedAfterTheScanAndTheirBinding() {
        String rebindsCarry = """
                model S {
                  input  x: f32[batch, 5, 4]
                  target y: f32[batch, 2]
                  hs = scan h = zeros(batch, 8) over xt in x {
                    h = tanh(dense(xt, 8) + h)
                  }
                  output p = dense(last(hs), 2)
                  loss mse(p, y)
                }
                """;
        assertEquals(List.of("hs.h_2.W", "hs.h_2.b", "p.W", "p.b"), List.copyOf(params(model(rebindsCarry)).keySet()));
        String newName = rebindsCarry.replace("    h = tanh(dense(xt, 8) + h)\n", "    z = tanh(dense(xt, 8) + h)\n    h = z\n");
        assertEquals(List.of("hs.z.W", "hs.z.b", "p.W", "p.b"), List.copyOf(params(model(newName)).keySet()));
    }
}
