package nnc.builtins;

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
 * {@code cross_entropy(logits, y, weight, reduction, label_smoothing, ignore_index)} and
 * {@code nll(logp, y, weight, reduction, ignore_index)} over rows {@code [batch, C]} or
 * {@code [batch, time, C]} (every axis but the last is a row), with PyTorch's formulas: a row whose
 * class is ignore_index contributes 0 and the mean is over the other rows; a class weight w scales
 * row i by w[y_i] and the mean divides by Σ w[y_i]; label smoothing ε gives
 * (1 − ε)·NLL + (ε/C)·Σ_c −w_c·log_softmax(z)_c, each term reduced alike.
 */
final class ClassLosses {
    private ClassLosses() {}

    // ---------------------------------------------------------------- type rules

    static TensorType crossEntropyType(TypeContext c) {
        TensorType z = c.f32("logits"), y = c.type("y");
        if (z.rank() < 2)
            throw c.errorAt("logits", "cross_entropy needs logits f32[batch, classes] or f32[batch, time, classes], but "
                    + c.describe("logits") + " is " + z, null);
        if (z.shape().last().isOne())
            throw c.errorAt("logits", "cross_entropy over 1 class is always 0: " + c.describe("logits") + " is " + z
                    + ", so softmax gives every row probability 1 and nothing trains",
                    "for two classes with one logit use bce_with_logits; else give the logits one column per class");
        Shape rows = LossBuiltins.rows(z);
        boolean indices = y.dtype() == DType.I32 && y.shape().equals(rows);
        boolean oneHot = y.dtype() == DType.F32 && y.shape().equals(z.shape());
        if (!indices && !oneHot)
            throw c.errorAt("y", "cross_entropy needs class indices i32" + rows + " or one-hot targets "
                    + z + " for logits " + z + ", but " + c.describe("y") + " is " + y,
                    y.dtype() == DType.F32 && z.shape().last().isOne() ? "for two classes with one logit use bce_with_logits" : null);
        if (c.has("label_smoothing")) {
            double eps = c.number("label_smoothing", 0);
            if (eps < 0 || eps > 1)
                throw c.errorAt("label_smoothing", "'label_smoothing' of cross_entropy is between 0 and 1, got " + c.show(eps), null);
            c.record("label_smoothing", eps);
        }
        if (c.has("ignore_index") && oneHot)
            throw c.errorAt("ignore_index", "ignore_index needs class indices as the target, but " + c.describe("y") + " is " + y,
                    "PyTorch ignores no row of probability targets either");
        ignoreIndex(c, z);
        weight(c, z);
        return LossBuiltins.reduced(LossBuiltins.reduction(c, "mean", false), TensorType.f32(rows));
    }

    static TensorType nllType(TypeContext c) {
        TensorType logp = c.f32("logp"), y = c.type("y");
        if (logp.rank() < 2)
            throw c.errorAt("logp", "nll needs log-probabilities f32[batch, classes] or f32[batch, time, classes], but "
                    + c.describe("logp") + " is " + logp, null);
        Shape rows = LossBuiltins.rows(logp);
        if (y.dtype() != DType.I32 || !y.shape().equals(rows))
            throw c.errorAt("y", "nll needs class indices i32" + rows + ", but " + c.describe("y") + " is " + y, null);
        ignoreIndex(c, logp);
        weight(c, logp);
        return LossBuiltins.reduced(LossBuiltins.reduction(c, "mean", false), TensorType.f32(rows));
    }

    /** weight, when given: f32[C], one weight per class. */
    private static void weight(TypeContext c, TensorType classes) {
        if (c.arg("weight") == null) return;
        TensorType w = c.f32("weight");
        long n = classes.shape().last().size();
        if (w.rank() != 1 || !w.shape().last().isFixed() || w.shape().last().size() != n)
            throw c.errorAt("weight", "the class weights of " + c.name() + " are f32[" + n + "], one per class, but " + c.describe("weight") + " is " + w, null);
    }

    /** ignore_index: a class of the logits (the data's labels are checked to be classes, so no other index can occur). */
    private static void ignoreIndex(TypeContext c, TensorType classes) {
        if (!c.has("ignore_index")) return;
        double k = c.number("ignore_index", 0);
        long n = classes.shape().last().size();
        if (k != Math.rint(k) || k < 0 || k >= n)
            throw c.errorAt("ignore_index", "'ignore_index' of " + c.name() + " must be a class, 0 to " + (n - 1) + ", got " + c.show(k),
                    "the labels of the data are checked to be classes, so only a class (e.g. a padding token 0) can be ignored");
    }

    // ---------------------------------------------------------------- lowerings

    static Node crossEntropy(LowerContext c) {
        GraphBuilder b = c.builder();
        Node z = c.tensor(0), y = c.tensor(1);
        double eps = c.has("label_smoothing") ? c.number("label_smoothing") : 0;
        long classes = z.shape().last().size();
        Node w = c.tensor(2);
        if (y.type().dtype() != DType.I32) {
            // probabilities: −Σ w·y'·log_softmax(z) per row, y' = y·(1 − ε) + ε/C; the mean is over rows
            if (eps == 0 && w == null && "mean".equals(c.option(LossBuiltins.REDUCTION)))
                return perRowMean(b, b.neg(b.sumAll(b.mul(y, AttentionBuiltins.logSoftmax(b, z)))), z);
            Node target = eps == 0 ? y : b.add(b.mul(y, b.constant(1 - eps)), b.constant(eps / classes));
            if (w != null) target = b.mul(target, w);
            Node perRow = b.neg(b.sum(b.mul(target, AttentionBuiltins.logSoftmax(b, z)), ShapeBuiltins.lastAxis(z), true));
            return reduceRows(c, perRow, null, null, z);
        }
        Node m = AttentionBuiltins.rowMax(b, z);
        Node lse = b.add(m, b.unary(UnaryFn.LOG, b.sum(b.unary(UnaryFn.EXP, b.sub(z, m)), ShapeBuiltins.lastAxis(z), true)));
        Node picked = b.sum(b.mul(z, oneHot(b, y, z)), ShapeBuiltins.lastAxis(z), true);
        Node ignored = ignored(c, y, z);
        Node rowWeight = w == null ? null : b.sum(b.mul(oneHot(b, y, z), w), ShapeBuiltins.lastAxis(z), true);
        Node perRow = b.sub(lse, picked);
        Node nll = reduceRows(c, rowWeight == null ? perRow : b.mul(rowWeight, perRow), ignored, rowWeight, z);
        if (eps == 0) return nll;
        Node logp = AttentionBuiltins.logSoftmax(b, z);
        Node smooth = b.neg(b.sum(w == null ? logp : b.mul(logp, w), ShapeBuiltins.lastAxis(z), true));
        return b.add(b.mul(b.constant(1 - eps), nll), b.mul(reduceRows(c, smooth, ignored, rowWeight, z), b.constant(eps / classes)));
    }

    static Node nll(LowerContext c) {
        GraphBuilder b = c.builder();
        Node logp = c.tensor(0), y = c.tensor(1);
        Node w = c.tensor(2);
        if (!c.has("ignore_index") && w == null && "mean".equals(c.option(LossBuiltins.REDUCTION)))
            return perRowMean(b, b.neg(b.sumAll(b.mul(logp, oneHot(b, y, logp)))), logp);
        Node rowWeight = w == null ? null : b.sum(b.mul(oneHot(b, y, logp), w), ShapeBuiltins.lastAxis(logp), true);
        Node perRow = b.neg(b.sum(b.mul(logp, oneHot(b, y, logp)), ShapeBuiltins.lastAxis(logp), true));
        return reduceRows(c, rowWeight == null ? perRow : b.mul(rowWeight, perRow), ignored(c, y, logp), rowWeight, logp);
    }

    /** 1 on the rows whose class is ignore_index, else 0 (rows + [1]); null without ignore_index. */
    private static Node ignored(LowerContext c, Node y, Node like) {
        if (!c.has("ignore_index")) return null;
        GraphBuilder b = c.builder();
        Node isIgnored = b.binary(BinaryFn.EQ, b.node(new Op.Iota(like.shape(), like.shape().rank() - 1)), b.constant(c.number("ignore_index")));
        return b.sum(b.mul(oneHot(b, y, like), isIgnored), ShapeBuiltins.lastAxis(like), true);
    }

    /**
     * Per-row losses (rows + [1]) under the reduction: none gives the rows' shape, sum their total,
     * mean their total over the rows, or with class weights over Σ w[y_i] (the rows not ignored,
     * with ignore_index: 0/0, NaN, when every row is, as PyTorch). An ignored row contributes exactly 0.
     */
    private static Node reduceRows(LowerContext c, Node perRow, Node ignored, Node rowWeight, Node like) {
        GraphBuilder b = c.builder();
        Node kept = ignored == null ? perRow : b.where(ignored, b.constant(0), perRow);
        return switch ((String) c.option(LossBuiltins.REDUCTION)) {
            case "none" -> b.reshape(kept, like.shape().without(List.of(like.shape().rank() - 1)));
            case "sum" -> b.sumAll(kept);
            default -> {
                if (ignored == null && rowWeight == null) yield perRowMean(b, b.sumAll(kept), like);
                Node counted = rowWeight != null ? rowWeight : b.sub(b.constant(1), ignored);
                if (ignored != null && rowWeight != null) counted = b.where(ignored, b.constant(0), rowWeight);
                yield b.div(b.sumAll(kept), b.sumAll(counted));
            }
        };
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
