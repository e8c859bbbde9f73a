package nnc.autodiff;

import static nnc.autodiff.GradientCheckTest.c;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import nnc.interp.F64Evaluator;
import nnc.ir.BinaryFn;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Op;
import nnc.ir.SpatialFn;
import nnc.ir.UnaryFn;
import nnc.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * The VJP rules at edge points, in f64 ({@link F64Evaluator}), each sampled on purpose: exact
 * zeros, ±0, ties. Where the function is differentiable there (max + min at a tie is a + b; xᵉ at
 * x = 0 is 0 for every e near e > 0; relu below 0 is constant) the gradient is checked against
 * central differences; where it is not, against PyTorch's convention, stated per case (relu and abs
 * give 0 at 0, max/min split a tie, a constant bound gives the tensor a tie whole as clamp does, max
 * pooling gives a window's tie to its first maximum). Each loss is {@code sum(c ⊙ f(p))} with
 * distinct weights c = 1, 2, 3, … so every element's gradient is identifiable.
 */
class EdgePointGradientTest {
    static final Shape V6 = Shape.of(6);
    static final double INF = Double.POSITIVE_INFINITY;

    /** Runs the case at the parameter values, followed by the weights c; returns {grad0, grad1, …}. */
    static double[][] gradients(GradientCheckTest.Case tc, double[]... paramsThenWeights) {
        IrModule module = GradientCheckTest.module(tc);
        Map<String, double[]> out = new F64Evaluator(1).run(module.train(), leaves(paramsThenWeights), Map.of());
        double[][] grads = new double[paramsThenWeights.length - 1][];
        for (int i = 0; i < grads.length; i++) grads[i] = out.get("grad" + i);
        return grads;
    }

    /** p0, p1, … and, last, the weights c. */
    static Map<String, double[]> leaves(double[]... paramsThenWeights) {
        Map<String, double[]> leaves = new LinkedHashMap<>();
        int n = paramsThenWeights.length - 1;
        for (int i = 0; i < n; i++) leaves.put("p" + i, paramsThenWeights[i]);
        leaves.put("c", paramsThenWeights[n]);
        return leaves;
    }

    /** Weights 1, 2, 3, … for an output of n elements. */
    static double[] weights(int n) {
        double[] c = new double[n];
        for (int k = 0; k < n; k++) c[k] = k + 1;
        return c;
    }

    /** Central differences of the loss in parameter {@code i}, element {@code k}. */
    static double numeric(GradientCheckTest.Case tc, int i, int k, double[]... params) {
        Graph g = GradientCheckTest.module(tc).train();
        F64Evaluator eval = new F64Evaluator(1);
        double h = 1e-6, saved = params[i][k];
        params[i][k] = saved + h;
        double up = eval.run(g, leaves(params), Map.of()).get(IrModule.LOSS)[0];
        params[i][k] = saved - h;
        double down = eval.run(g, leaves(params), Map.of()).get(IrModule.LOSS)[0];
        params[i][k] = saved;
        return (up - down) / (2 * h);
    }



    @Test
    void maxPlusMinAtTiesDifferentiatesAsTheSum() {
        var tc = c("max + min", 0, 0, (b, p) -> b.add(b.binary(BinaryFn.MAX, p.get(0), p.get(1)), b.binary(BinaryFn.MIN, p.get(0), p.get(1))), V6, V6);
        double[] a = {0, -0.0, 1.5, -2, 3, 0.25}, bb = {0, 0, 1.5, -2, 1, 0.5}, c = weights(6);
        double[][] g = gradients(tc, a, bb, c);
        assertArrayEquals(c, g[0], "∂a = c at ties and elsewhere");
        assertArrayEquals(c, g[1], "∂b = c at ties and elsewhere");
        for (int i = 0; i < 2; i++)
            for (int k = 0; k < 6; k++)
                assertTrue(Math.abs(numeric(tc, i, k, a, bb, c) - g[i][k]) < 1e-6 * c[k], "central differences at p" + i + "[" + k + "]");
    }

    @Test
    void maxAndMinAloneSplitATieEvenly() {
        var max = c("max", 0, 0, (b, p) -> b.binary(BinaryFn.MAX, p.get(0), p.get(1)), V6, V6);
        var min = c("min", 0, 0, (b, p) -> b.binary(BinaryFn.MIN, p.get(0), p.get(1)), V6, V6);
        double[] a = {0, 1, 2, -1, 5, 0}, bb = {0, 1, 1, 3, 5, -0.0}, c = weights(6);
        double[][] gMax = gradients(max, a, bb, c), gMin = gradients(min, a, bb, c);
        assertArrayEquals(new double[] {0.5, 1, 3, 0, 2.5, 3}, gMax[0]);
        assertArrayEquals(new double[] {0.5, 1, 0, 4, 2.5, 3}, gMax[1]);
        assertArrayEquals(new double[] {0.5, 1, 0, 4, 2.5, 3}, gMin[0]);
        assertArrayEquals(new double[] {0.5, 1, 3, 0, 2.5, 3}, gMin[1]);
    }

    @Test
    void aConstantBoundGivesTheTensorATieWholeAsClampDoes() {
        var tc = c("max(x, 1) + min(x, 1)", 0, 0, (b, p) -> b.add(b.binary(BinaryFn.MAX, p.get(0), b.constant(1)),
                b.binary(BinaryFn.MIN, b.constant(1), p.get(0))), V6);
        double[] x = {1, 0.5, 2, 1, -3, 1}, c = weights(6);
        assertArrayEquals(new double[] {2, 2, 3, 8, 5, 12}, gradients(tc, x, c)[0]);
    }

    @Test
    void powWithAZeroBaseHasAZeroExponentGradient() {
        var tc = c("pow", 0, 0, (b, p) -> b.binary(BinaryFn.POW, p.get(0), p.get(1)), V6, V6);
        double[] base = {0, 0, 0, -0.0, 2, 0}, exponent = {1.5, 2, 3, 1.5, 0.5, 0}, c = weights(6);
        double[][] g = gradients(tc, base, exponent, c);
        for (int k = 0; k < 5; k++) // y(e ± h) = 0 at a zero base with e > 0: differentiable in e
            assertTrue(Math.abs(numeric(tc, 1, k, base, exponent, c) - g[1][k]) < 1e-6 * c[k], "∂e at " + k + ": " + g[1][k]);
        assertArrayEquals(new double[] {0, 0, 0, 0, 5 * Math.log(2) * Math.sqrt(2)}, Arrays.copyOf(g[1], 5), 1e-12);
        // PyTorch's convention at 0⁰ = 1: ∂e = 0 (not 1·log 0 = −∞) and ∂b = 0 (not 0·0⁻¹ = NaN)
        assertTrue(g[1][5] == 0 && g[0][5] == 0, "at 0^0: " + g[0][5] + ", " + g[1][5]);
        assertArrayEquals(new double[] {0, 0, 0, 0}, Arrays.copyOf(g[0], 4), "∂b = e·0^(e−1) = 0 for e > 1");
    }

    @Test
    void sqrtOfReluAndAbsAtZeroGiveZeroNotNan() {
        var relu = c("sqrt(relu)", 0, 0, (b, p) -> b.unary(UnaryFn.SQRT, b.unary(UnaryFn.RELU, p.get(0))), V6);
        var abs = c("sqrt(abs)", 0, 0, (b, p) -> b.unary(UnaryFn.SQRT, b.unary(UnaryFn.ABS, p.get(0))), V6);
        double[] x = {0, -0.0, -1, 4, -2, 1}, c = weights(6);
        double[] gRelu = gradients(relu, x, c)[0];
        assertArrayEquals(new double[] {0, 0, 0, 4 * 0.25, 0, 6 * 0.5}, gRelu, "relu at and below 0: 0, also under sqrt's ∞");
        for (int k : new int[] {2, 3, 4, 5})
            assertTrue(Math.abs(numeric(relu, 0, k, x, c) - gRelu[k]) < 1e-6 * c[k], "central differences at " + k);
        assertArrayEquals(new double[] {0, 0, -3 * 0.5, 4 * 0.25, -5 / (2 * Math.sqrt(2)), 6 * 0.5}, gradients(abs, x, c)[0], 1e-12,
                "abs at ±0: 0, also under sqrt's ∞");
    }

    @Test
    void whereGivesItsUnselectedSideZeroUnderAnInfiniteGradient() {
        var tc = c("sqrt(where)", 0, 0, (b, p) -> b.unary(UnaryFn.SQRT,
                b.where(b.binary(BinaryFn.GT, p.get(0), b.constant(0)), p.get(0), p.get(1))), V6, V6);
        double[] v = {0, 4, -1, 0, 1, 0}, r = {0, 0, 1, 9, 0, 4}, c = weights(6);
        double[][] g = gradients(tc, v, r, c);
        assertArrayEquals(new double[] {0, 2 * 0.25, 0, 0, 5 * 0.5, 0}, g[0]);
        assertArrayEquals(new double[] {INF, 0, 3 * 0.5, 4 / 6.0, 0, 6 * 0.25}, g[1]);
    }

    @Test
    void maxPoolingGivesATieToTheFirstMaximumOfItsWindow() {
        var tc = c("max_pool2d k=2", 0, 0, (b, p) -> b.node(new Op.Spatial(SpatialFn.MAX_POOL2D, 2, 2, 0, 2, 4), p.get(0)), Shape.of(1, 1, 2, 4));
        double[] x = {3, 3, 0, 1, 3, 3, 1, 1}, c = weights(2);
        assertArrayEquals(new double[] {1, 0, 0, 2, 0, 0, 0, 0}, gradients(tc, x, c)[0], "row-major first maximum of each window");
    }
}
