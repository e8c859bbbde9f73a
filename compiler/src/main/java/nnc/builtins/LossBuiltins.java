package nnc.builtins;

import static nnc.builtins.Builtin.function;
import static nnc.builtins.Signature.tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.UnaryFn;
import nnc.runtime.DType;
import nnc.types.Shape;
import nnc.types.ShapeError;
import nnc.types.ShapeRules;
import nnc.types.TensorType;

/**
 * Losses and penalties: {@code mse}, {@code mae}, {@code bce}, {@code bce_with_logits(pos_weight)},
 * {@code smooth_l1(beta)}, {@code huber(delta)}, {@code kl_div(log_target)}, {@code cross_entropy}
 * and {@code nll} (their class options in {@link ClassLosses}), each with PyTorch's
 * {@code reduction = mean | sum | none}; and the weight penalties {@code l1} (Σ|p|) and {@code l2}
 * (Σp², PyTorch's {@code sum(p ** 2)}, no ½), of one tensor or, written {@code l2(params)}, of every
 * parameter defined above ({@link Builtin#ALL_PARAMS}). With {@code reduction = none} a loss is a
 * tensor (per element, or per row for the class losses) that the model reduces itself.
 */
final class LossBuiltins {
    private LossBuiltins() {}

    static final String REDUCTION = "reduction";

    /** The names of the builtins {@link #declare} declares (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("l1", "l2", "mse", "mae", "bce", "bce_with_logits", "smooth_l1", "huber", "kl_div", "cross_entropy", "nll");

    /**
     * The loss {@code name}, declared on its own: a model uses one loss, and declaring all eleven
     * linked 22 lambdas at the first lookup (~6 ms of the playground's cold compile, branch cold).
     */
    static Builtin declare(String name) {
        return switch (name) {
            case "l1" -> function("l1", tensors("x"), LossBuiltins::penalty, c -> penalty(c, false));
            case "l2" -> function("l2", tensors("x"), LossBuiltins::penalty, c -> penalty(c, true));
            case "mse" -> function("mse", pair(), LossBuiltins::sameShapeLoss, c -> {
                GraphBuilder b = c.builder();
                Node d = b.sub(c.tensor(0), c.tensor(1));
                return reduce(c, b.mul(d, d));
            });
            case "mae" -> function("mae", pair(), LossBuiltins::sameShapeLoss,
                    c -> reduce(c, c.builder().unary(UnaryFn.ABS, c.builder().sub(c.tensor(0), c.tensor(1)))));
            case "bce" -> function("bce", pair(), LossBuiltins::sameShapeLoss, c -> bce(c, c.tensor(0), c.tensor(1)));
            case "bce_with_logits" -> function("bce_with_logits",
                    new Signature(List.of("z", "y", "pos_weight"), List.of(REDUCTION), List.of(), Map.of("pos_weight", Set.of())),
                    LossBuiltins::bceWithLogits, c -> bceWithLogits(c, c.tensor(0), c.tensor(1)));
            case "smooth_l1" -> function("smooth_l1", pair("beta"), LossBuiltins::smoothL1, c -> smoothL1(c, c.tensor(0), c.tensor(1), false));
            case "huber" -> function("huber", pair("delta"), LossBuiltins::huber, c -> smoothL1(c, c.tensor(0), c.tensor(1), true));
            case "kl_div" -> function("kl_div", new Signature(List.of("input", "target"), List.of(REDUCTION, "log_target"), List.of()),
                    LossBuiltins::klDiv, LossBuiltins::klDiv);
            case "cross_entropy" -> function("cross_entropy", new Signature(List.of("logits", "y", "weight"),
                    List.of(REDUCTION, "label_smoothing", "ignore_index"), List.of(), Map.of("weight", Set.of())),
                    ClassLosses::crossEntropyType, ClassLosses::crossEntropy);
            case "nll" -> function("nll", new Signature(List.of("logp", "y", "weight"), List.of(REDUCTION, "ignore_index"), List.of(),
                    Map.of("weight", Set.of())), ClassLosses::nllType, ClassLosses::nll);
            default -> throw new IllegalArgumentException("no loss is named " + name);
        };
    }

    /** A prediction and a target, then {@code reduction} and {@code extra}. */
    private static Signature pair(String... extra) {
        List<String> options = new ArrayList<>(List.of(REDUCTION));
        options.addAll(List.of(extra));
        return new Signature(List.of("p", "y"), options, List.of());
    }

    // ---------------------------------------------------------------- type rules

    private static TensorType penalty(TypeContext c) {
        c.f32("x");
        return TensorType.F32_SCALAR;
    }

    /**
     * Option {@code reduction}: mean (the default; kl_div's is batchmean), sum or none, and kl_div's
     * batchmean; recorded. A name or a string.
     */
    static String reduction(TypeContext c, String fallback, boolean batchmean) {
        Object v = c.option(REDUCTION);
        String r = v == null ? fallback : v instanceof String s ? s : "";
        if (!r.equals("mean") && !r.equals("sum") && !r.equals("none") && !(batchmean && r.equals("batchmean")))
            throw c.errorAt(REDUCTION, "'reduction' of " + c.name() + " is mean, sum" + (batchmean ? ", batchmean" : "") + " or none, got " + c.show(v),
                    "mean averages, sum adds up, none keeps one loss per " + (c.name().equals("cross_entropy") || c.name().equals("nll") ? "row" : "element")
                            + " for the model to reduce");
        c.record(REDUCTION, r);
        return r;
    }

    /** A scalar, or with reduction none the per-element type. */
    static TensorType reduced(String reduction, TensorType perElement) {
        return reduction.equals("none") ? perElement : TensorType.F32_SCALAR;
    }

    private static TensorType sameShapeLoss(TypeContext c) {
        List<String> args = c.signatureTensors();
        TensorType p = c.f32(args.get(0)), y = c.f32(args.get(1));
        if (!p.shape().equals(y.shape()))
            throw c.error(c.name() + " needs two tensors of the same shape, got " + p + " and " + y,
                    "the prediction and the target must match element for element");
        return reduced(reduction(c, "mean", false), p);
    }

    /** The logits and targets as any same-shape loss; pos_weight, when given, an f32 tensor that broadcasts to them (a number, or one weight per column). */
    private static TensorType bceWithLogits(TypeContext c) {
        TensorType z = c.f32("z");
        TensorType t = sameShapeLoss(c);
        if (c.arg("pos_weight") != null) {
            TensorType w = c.f32("pos_weight");
            boolean fits;
            try {
                fits = ShapeRules.broadcast(w.shape(), z.shape()).equals(z.shape());
            } catch (ShapeError e) {
                fits = false;
            }
            if (!fits)
                throw c.errorAt("pos_weight", "pos_weight of bce_with_logits must broadcast to the logits " + z + ", but " + c.describe("pos_weight")
                        + " is " + w, "a number, or one weight per column: f32[" + z.shape().last() + "]");
        }
        return t;
    }

    private static TensorType smoothL1(TypeContext c) {
        double beta = c.number("beta", 1);
        if (!(beta >= 0)) throw c.errorAt("beta", "'beta' of smooth_l1 must be at least 0, got " + c.show(beta), "beta = 0 is the l1 loss, mae");
        c.record("beta", beta);
        return sameShapeLoss(c);
    }

    private static TensorType huber(TypeContext c) {
        double delta = c.number("delta", 1);
        if (!(delta > 0)) throw c.errorAt("delta", "'delta' of huber must be above 0, got " + c.show(delta), null);
        c.record("delta", delta);
        return sameShapeLoss(c);
    }

    private static TensorType klDiv(TypeContext c) {
        TensorType x = c.f32("input"), y = c.f32("target");
        if (!x.shape().equals(y.shape()))
            throw c.error("kl_div needs the log-probabilities 'input' and the 'target' of the same shape, got " + x + " and " + y, null);
        Object v = c.option("log_target");
        if (v != null && !"true".equals(v) && !"false".equals(v))
            throw c.errorAt("log_target", "'log_target' of kl_div must be true or false, got " + c.show(v), null);
        c.record("log_target", "true".equals(v));
        return reduced(reduction(c, "batchmean", true), x);
    }

    // ---------------------------------------------------------------- lowerings

    /** Σ|p| (l1) or Σp² (l2) over every element of every tensor. */
    private static Node penalty(LowerContext c, boolean squares) {
        GraphBuilder b = c.builder();
        Node total = null;
        for (Node p : c.has(Builtin.ALL_PARAMS) ? c.params() : c.tensors()) {
            Node term = b.sumAll(squares ? b.mul(p, p) : b.unary(UnaryFn.ABS, p));
            total = total == null ? term : b.add(total, term);
        }
        return total == null ? b.constant(0) : total;
    }

    /** The elementwise loss {@code x} under the recorded reduction: mean over all elements, their sum, or x itself. */
    static Node reduce(LowerContext c, Node x) {
        GraphBuilder b = c.builder();
        return switch ((String) c.option(REDUCTION)) {
            case "sum" -> b.sumAll(x);
            case "none" -> x;
            case "batchmean" -> b.div(b.sumAll(x), b.count(x.shape(), List.of(0)));
            default -> b.meanAll(x);
        };
    }

    /** −(y·max(ln p, −100) + (1−y)·max(ln(1−p), −100)), each log clamped at −100 as PyTorch does. */
    private static Node bce(LowerContext c, Node p, Node y) {
        GraphBuilder b = c.builder();
        Node floor = b.constant(-100);
        Node one = b.constant(1);
        Node logP = b.binary(BinaryFn.MAX, b.unary(UnaryFn.LOG, p), floor);
        Node log1mP = b.binary(BinaryFn.MAX, b.unary(UnaryFn.LOG, b.sub(one, p)), floor);
        return b.neg(reduce(c, b.add(b.mul(y, logP), b.mul(b.sub(one, y), log1mP))));
    }

    /**
     * softplus(z) − z·y: stable for any z, and smooth at z = 0 (its derivative is σ(z) − y). With
     * pos_weight w, PyTorch's (1 − y)·z + (1 + (w − 1)·y)·softplus(−z): positives weigh w times.
     */
    private static Node bceWithLogits(LowerContext c, Node z, Node y) {
        GraphBuilder b = c.builder();
        Node w = c.tensor(2);
        if (w == null) return reduce(c, b.sub(b.unary(UnaryFn.SOFTPLUS, z), b.mul(z, y)));
        Node one = b.constant(1);
        Node logWeight = b.add(b.mul(b.sub(w, one), y), one);
        return reduce(c, b.add(b.mul(b.sub(one, y), z), b.mul(logWeight, b.unary(UnaryFn.SOFTPLUS, b.neg(z)))));
    }

    /**
     * smooth_l1 (PyTorch's): 0.5·d²/beta where |d| &lt; beta, else |d| − 0.5·beta (beta = 0: |d|);
     * huber: 0.5·d² where |d| &lt; delta, else delta·(|d| − 0.5·delta). d = p − y.
     */
    private static Node smoothL1(LowerContext c, Node p, Node y, boolean huber) {
        GraphBuilder b = c.builder();
        double k = c.number(huber ? "delta" : "beta");
        Node d = b.sub(p, y), a = b.unary(UnaryFn.ABS, d);
        if (k == 0) return reduce(c, a);
        Node half = b.constant(0.5), bound = b.constant(k);
        Node square = b.mul(b.mul(half, d), d);
        Node quadratic = huber ? square : b.div(square, bound);
        Node linear = b.sub(a, b.constant(0.5 * k));
        if (huber) linear = b.mul(bound, linear);
        return reduce(c, b.where(b.binary(BinaryFn.GT, bound, a), quadratic, linear));
    }

    /**
     * PyTorch's kl_div: target·(ln target − input) where target &gt; 0, else 0 (the log reads 1 there,
     * so no ∞·0 reaches the backward pass); with log_target, e^target·(target − input).
     */
    private static Node klDiv(LowerContext c) {
        GraphBuilder b = c.builder();
        Node x = c.tensor(0), y = c.tensor(1);
        if ((Boolean) c.option("log_target")) return reduce(c, b.mul(b.unary(UnaryFn.EXP, y), b.sub(y, x)));
        Node positive = b.binary(BinaryFn.GT, y, b.constant(0));
        Node logY = b.unary(UnaryFn.LOG, b.where(positive, y, b.constant(1)));
        return reduce(c, b.where(positive, b.mul(y, b.sub(logY, x)), b.constant(0)));
    }

    /** The shape of the rows of a class tensor: every axis but the last. */
    static Shape rows(TensorType classes) { return classes.shape().without(List.of(classes.rank() - 1)); }

    static boolean isIndices(TensorType y) { return y.dtype() == DType.I32; }
}
