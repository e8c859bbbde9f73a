package nnc.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import nnc.interp.Interpreter;
import nnc.ir.BinaryFn;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.GraphVerifier;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.runtime.Init;
import nnc.runtime.Role;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every primitive's VJP rule against central finite differences of the loss, evaluated by the
 * interpreter in f32 (the f64 check of issue 4 tightens this). Each case builds
 * {@code loss = sum(c ⊙ f(params))} with a random weighting {@code c}, so every output element
 * of {@code f} contributes with a distinct weight.
 */
class GradientCheckTest {
    /** A case: parameter shapes, a value range for them, and the function of the parameters. */
    record Case(String name, List<Shape> shapes, double lo, double hi, BiFunction<GraphBuilder, List<Node>, Node> f) {
        @Override public String toString() { return name; }
    }

    static Case c(String name, double lo, double hi, BiFunction<GraphBuilder, List<Node>, Node> f, Shape... shapes) {
        return new Case(name, List.of(shapes), lo, hi, f);
    }

    static final Shape M34 = Shape.of(3, 4), V4 = Shape.of(4), C31 = Shape.of(3, 1), S = Shape.SCALAR;

    static Stream<Arguments> cases() {
        List<Case> cs = new ArrayList<>();
        for (UnaryFn fn : UnaryFn.values()) {
            boolean positive = fn == UnaryFn.LOG || fn == UnaryFn.SQRT;
            cs.add(c("unary " + fn, positive ? 0.5 : -2, 2, (b, p) -> b.unary(fn, p.get(0)), M34));
        }
        for (BinaryFn fn : List.of(BinaryFn.ADD, BinaryFn.SUB, BinaryFn.MUL, BinaryFn.DIV, BinaryFn.MAX, BinaryFn.MIN)) {
            cs.add(c("binary " + fn + " same shape", 0.5, 2, (b, p) -> b.binary(fn, p.get(0), p.get(1)), M34, M34));
            cs.add(c("binary " + fn + " row broadcast", 0.5, 2, (b, p) -> b.binary(fn, p.get(0), p.get(1)), M34, V4));
            cs.add(c("binary " + fn + " column broadcast", 0.5, 2, (b, p) -> b.binary(fn, p.get(1), p.get(0)), M34, C31));
            cs.add(c("binary " + fn + " scalar", 0.5, 2, (b, p) -> b.binary(fn, p.get(0), p.get(1)), M34, S));
        }
        cs.add(c("pow with constant exponent", 0.5, 2, (b, p) -> b.binary(BinaryFn.POW, p.get(0), b.constant(3)), M34));
        cs.add(c("pow with tensor exponent", 0.5, 2, (b, p) -> b.binary(BinaryFn.POW, p.get(0), p.get(1)), M34, V4));
        cs.add(c("comparison has no gradient", -1, 1, (b, p) -> b.mul(p.get(0), b.binary(BinaryFn.GT, p.get(0), b.constant(0))), M34));
        cs.add(c("sum axis 0", -1, 1, (b, p) -> b.sum(p.get(0), List.of(0), false), M34));
        cs.add(c("sum axis 1 keep", -1, 1, (b, p) -> b.sum(p.get(0), List.of(1), true), M34));
        cs.add(c("max axis 1", -1, 1, (b, p) -> b.reduce(ReduceFn.MAX, p.get(0), List.of(1), false), M34));
        cs.add(c("max all", -1, 1, (b, p) -> b.reduce(ReduceFn.MAX, p.get(0), List.of(0, 1), false), M34));
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true})
                cs.add(c("matmul ta=" + ta + " tb=" + tb, -1, 1, (b, p) -> b.matmul(p.get(0), p.get(1), ta, tb),
                        ta ? Shape.of(4, 3) : Shape.of(3, 4), tb ? Shape.of(5, 4) : Shape.of(4, 5)));
        cs.add(c("where, broadcasting a and b", -1, 1, (b, p) -> b.where(b.binary(BinaryFn.GT, p.get(0), b.constant(0)), p.get(1), p.get(2)),
                M34, V4, C31));
        cs.add(c("where with a constant branch (leaky_relu)", -1, 1,
                (b, p) -> b.where(b.binary(BinaryFn.GT, p.get(0), b.constant(0)), p.get(0), b.mul(p.get(0), b.constant(0.01))), M34));
        cs.add(c("hash (dropout's RNG) is a constant factor: no gradient through it", -1, 1,
                (b, p) -> b.mul(p.get(0), b.binary(BinaryFn.HASH, batchOnes(b), b.constant(7))), V4));
        cs.add(c("transpose last two", -1, 1, (b, p) -> b.transpose(p.get(0), Op.Transpose.lastTwo(2)), M34));
        cs.add(c("transpose rank 3 [2,0,1]", -1, 1, (b, p) -> b.transpose(p.get(0), new Op.Transpose(List.of(2, 0, 1))), Shape.of(2, 3, 4)));
        cs.add(c("transpose then matmul", -1, 1, (b, p) -> b.matmul(p.get(0), b.transpose(p.get(1), Op.Transpose.lastTwo(2)), false, false),
                M34, Shape.of(5, 4)));
        cs.add(c("broadcast", -1, 1, (b, p) -> b.broadcast(p.get(0), M34), C31));
        cs.add(c("reshape", -1, 1, (b, p) -> b.reshape(p.get(0), Shape.of(2, 6)), M34));
        cs.add(c("softmax cross-entropy with one-hot", -2, 2, (b, p) -> {
            Node z = p.get(0);
            Node y = b.node(new Op.Input("labels", Role.TARGET, new TensorType(nnc.runtime.DType.I32, Shape.of(3))));
            Node m = b.reduce(ReduceFn.MAX, z, List.of(1), true);
            Node lse = b.add(m, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, b.sub(z, m)), List.of(1), true)));
            return b.sub(lse, b.sum(b.mul(z, b.node(new Op.OneHot(4), y)), List.of(1), true));
        }, M34));
        cs.add(c("mean over a symbolic batch", -1, 1, (b, p) -> b.mean(b.mul(p.get(0), batchOnes(b)), List.of(0), false), V4));
        return cs.stream().map(Arguments::of);
    }

    /** A [batch,4] input of ones, so the case exercises DimSize. */
    static Node batchOnes(GraphBuilder b) {
        return b.node(new Op.Input("ones", Role.INPUT, TensorType.f32(Shape.of(Dim.BATCH, Dim.of(4)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(Case tc) {
        GraphBuilder b = new GraphBuilder();
        List<Node> params = new ArrayList<>();
        for (int i = 0; i < tc.shapes().size(); i++)
            params.add(b.node(new Op.Param("p" + i, TensorType.f32(tc.shapes().get(i)), Init.ZEROS)));
        Node f = tc.f().apply(b, params);
        Node weights = b.node(new Op.Param("c", TensorType.f32(f.shape()), Init.ZEROS));
        Node loss = b.sumAll(b.mul(weights, f));
        Map<Node, Node> grads = Autodiff.gradients(b, loss, params);
        Map<String, Node> outputs = new LinkedHashMap<>();
        outputs.put(IrModule.LOSS, loss);
        for (int i = 0; i < params.size(); i++) outputs.put("grad" + i, grads.get(params.get(i)));
        Graph g = new Graph("train", outputs, Map.of());
        IrModule module = new IrModule("case", g, new Graph("evaluate", Map.of(IrModule.LOSS, loss), Map.of()), g, IrModule.LOSS, List.of());
        assertEquals(List.of(), GraphVerifier.verify(module));

        int batch = 2;
        Interpreter m = new Interpreter(module, batch);
        SplittableRandom rnd = new SplittableRandom(tc.name().hashCode());
        for (int i = 0; i < params.size(); i++) fill(m.floats("p" + i), rnd, tc.lo(), tc.hi());
        fill(m.floats("c"), rnd, 0.5, 1.5);
        if (tc.name().endsWith("same shape")) { // keep max/min operands apart: no ties within the step h
            float[] p0 = m.floats("p0"), p1 = m.floats("p1");
            for (int k = 0; k < p1.length; k++) p1[k] = p0[k] + (k % 2 == 0 ? 0.3f : -0.3f);
        }
        if (module.info().find("ones").isPresent()) java.util.Arrays.fill(m.floats("ones"), 1f);
        if (module.info().find("labels").isPresent()) m.ints("labels")[0] = 2;

        m.trainStep(batch);
        for (int i = 0; i < params.size(); i++) {
            float[] p = m.floats("p" + i);
            float[] analytic = m.floats("grad" + i).clone();
            for (int k = 0; k < p.length; k++) {
                float saved = p[k];
                float h = 1e-2f * Math.max(1f, Math.abs(saved));
                p[k] = saved + h;
                m.evaluate(batch);
                double up = m.loss();
                p[k] = saved - h;
                m.evaluate(batch);
                double down = m.loss();
                p[k] = saved;
                double numeric = (up - down) / (2 * h);
                double tol = 2e-2 * Math.max(1, Math.abs(numeric));
                assertTrue(Math.abs(numeric - analytic[k]) <= tol,
                        tc.name() + ": d/dp" + i + "[" + k + "] analytic " + analytic[k] + " numeric " + numeric);
            }
        }
    }

    /** Values in [lo, hi] kept apart from each other so max/min/relu/abs are differentiable at them. */
    static void fill(float[] a, SplittableRandom rnd, double lo, double hi) {
        for (int i = 0; i < a.length; i++) {
            float v;
            do { v = (float) (lo + (hi - lo) * rnd.nextDouble()); } while (Math.abs(v) < 0.1);
            a[i] = v + 0.001f * i;
        }
    }
}
