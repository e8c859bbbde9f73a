package nnc.builtins;

import static nnc.builtins.Builtin.function;
import static nnc.builtins.Signature.tensors;

import java.util.ArrayList;
import java.util.List;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.UnaryFn;
import nnc.runtime.DType;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Losses and penalties: {@code mse}, {@code mae}, {@code bce}, {@code bce_with_logits},
 * {@code cross_entropy}, {@code nll}, and the weight penalties {@code l1} (Σ|p|) and {@code l2} (Σp²,
 * PyTorch's {@code sum(p ** 2)}, no ½), of one tensor or, written {@code l2(params)}, of every
 * parameter defined above ({@link Builtin#ALL_PARAMS}).
 */
final class LossBuiltins {
    private LossBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                function("l1", tensors("x"), LossBuiltins::penalty, c -> penalty(c, false)),
                function("l2", tensors("x"), LossBuiltins::penalty, c -> penalty(c, true)),
                function("mse", tensors("p", "y"), LossBuiltins::sameShapeLoss, c -> {
                    GraphBuilder b = c.builder();
                    Node d = b.sub(c.tensor(0), c.tensor(1));
                    return b.meanAll(b.mul(d, d));
                }),
                function("mae", tensors("p", "y"), LossBuiltins::sameShapeLoss,
                        c -> c.builder().meanAll(c.builder().unary(UnaryFn.ABS, c.builder().sub(c.tensor(0), c.tensor(1))))),
                function("bce", tensors("p", "y"), LossBuiltins::sameShapeLoss, c -> bce(c.builder(), c.tensor(0), c.tensor(1))),
                function("bce_with_logits", tensors("z", "y"), LossBuiltins::sameShapeLoss,
                        c -> bceWithLogits(c.builder(), c.tensor(0), c.tensor(1))),
                function("cross_entropy", tensors("logits", "y"), LossBuiltins::crossEntropy,
                        c -> crossEntropy(c.builder(), c.tensor(0), c.tensor(1))),
                function("nll", tensors("logp", "y"), LossBuiltins::nll, c -> {
                    GraphBuilder b = c.builder();
                    Node logp = c.tensor(0);
                    return perRowMean(b, b.neg(b.sumAll(b.mul(logp, oneHot(b, c.tensor(1), logp)))), logp);
                }));
    }

    // ---------------------------------------------------------------- type rules

    private static TensorType penalty(TypeContext c) {
        c.f32("x");
        return TensorType.F32_SCALAR;
    }

    private static TensorType sameShapeLoss(TypeContext c) {
        List<String> args = c.signatureTensors();
        TensorType p = c.f32(args.get(0)), y = c.f32(args.get(1));
        if (!p.shape().equals(y.shape()))
            throw c.error(c.name() + " needs two tensors of the same shape, got " + p + " and " + y,
                    "the prediction and the target must match element for element");
        return TensorType.F32_SCALAR;
    }

    private static TensorType crossEntropy(TypeContext c) {
        TensorType z = c.f32("logits"), y = c.type("y");
        if (z.rank() < 2)
            throw c.errorAt("logits", "cross_entropy needs logits f32[batch, classes] or f32[batch, time, classes], but "
                    + c.describe("logits") + " is " + z, null);
        if (z.shape().last().isOne())
            throw c.errorAt("logits", "cross_entropy over 1 class is always 0: " + c.describe("logits") + " is " + z
                    + ", so softmax gives every row probability 1 and nothing trains",
                    "for two classes with one logit use bce_with_logits; else give the logits one column per class");
        Shape rows = z.shape().without(List.of(z.rank() - 1));
        boolean indices = y.dtype() == DType.I32 && y.shape().equals(rows);
        boolean oneHot = y.dtype() == DType.F32 && y.shape().equals(z.shape());
        if (!indices && !oneHot)
            throw c.errorAt("y", "cross_entropy needs class indices i32" + rows + " or one-hot targets "
                    + z + " for logits " + z + ", but " + c.describe("y") + " is " + y,
                    y.dtype() == DType.F32 && z.shape().last().isOne() ? "for two classes with one logit use bce_with_logits" : null);
        return TensorType.F32_SCALAR;
    }

    private static TensorType nll(TypeContext c) {
        TensorType logp = c.f32("logp"), y = c.type("y");
        if (logp.rank() != 2)
            throw c.errorAt("logp", "nll needs log-probabilities f32[batch, classes], but " + c.describe("logp") + " is " + logp, null);
        if (y.dtype() != DType.I32 || y.rank() != 1 || !y.shape().dim(0).equals(logp.shape().dim(0)))
            throw c.errorAt("y", "nll needs class indices i32[" + logp.shape().dim(0) + "], but " + c.describe("y") + " is " + y, null);
        return TensorType.F32_SCALAR;
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

    /** −mean(y·log p + (1−y)·log(1−p)), each log clamped at −100 as PyTorch does. */
    private static Node bce(GraphBuilder b, Node p, Node y) {
        Node floor = b.constant(-100);
        Node one = b.constant(1);
        Node logP = b.binary(BinaryFn.MAX, b.unary(UnaryFn.LOG, p), floor);
        Node log1mP = b.binary(BinaryFn.MAX, b.unary(UnaryFn.LOG, b.sub(one, p)), floor);
        return b.neg(b.meanAll(b.add(b.mul(y, logP), b.mul(b.sub(one, y), log1mP))));
    }

    /** mean(softplus(z) − z·y): stable for any z, and smooth at z = 0 (its derivative is σ(z) − y). */
    private static Node bceWithLogits(GraphBuilder b, Node z, Node y) {
        return b.meanAll(b.sub(b.unary(UnaryFn.SOFTPLUS, z), b.mul(z, y)));
    }

    /** Class indices: mean over rows of logsumexp(z) − z[y]. Probabilities/one-hot: −Σ y·log_softmax(z) / rows. */
    private static Node crossEntropy(GraphBuilder b, Node z, Node y) {
        if (y.type().dtype() == DType.I32) {
            Node m = AttentionBuiltins.rowMax(b, z);
            Node lse = b.add(m, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, b.sub(z, m)), ShapeBuiltins.lastAxis(z), true)));
            Node picked = b.sum(b.mul(z, oneHot(b, y, z)), ShapeBuiltins.lastAxis(z), true);
            return perRowMean(b, b.sumAll(b.sub(lse, picked)), z);
        }
        return perRowMean(b, b.neg(b.sumAll(b.mul(y, AttentionBuiltins.logSoftmax(b, z)))), z);
    }

    private static Node oneHot(GraphBuilder b, Node indices, Node like) {
        return b.node(new Op.OneHot(like.shape().last().size()), indices);
    }

    /**
     * A total over all rows divided by the number of rows: every axis of {@code like} but the last
     * ({@code batch}, or {@code batch × time} for many-to-many logits, as PyTorch on flattened inputs).
     */
    private static Node perRowMean(GraphBuilder b, Node total, Node like) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < like.shape().rank() - 1; i++) rows.add(i);
        return b.div(total, b.count(like.shape(), rows));
    }
}
