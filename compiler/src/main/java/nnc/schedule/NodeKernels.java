package nnc.schedule;

import java.util.List;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.types.ShapeRules;

/**
 * The kernel computing one Graph IR node into its buffer: a reduction, a product (with the
 * pointwise consumer the {@link FusionPlan} gives it as an epilogue), a runtime call (convolution
 * and pooling, scatter-add) or a pointwise kernel whose expression inlines the fused producers.
 */
final class NodeKernels {
    private final Storage storage;
    private final KernelExprs exprs;

    NodeKernels(Storage storage, KernelExprs exprs) {
        this.storage = storage;
        this.exprs = exprs;
    }

    /** The kernel writing {@code n}'s value into {@code out}. */
    Kernel of(Node n, Buffer out, FusionPlan plan) {
        return switch (n.op()) {
            case Op.Reduce r -> new Kernel.Reduce(n.input(0).shape(), r.axes(), r.fn(), out, exprs.expr(n.input(0), n.input(0).shape(), plan));
            case Op.MatMul m -> matmul(n, out, null, plan);
            // convolution and pooling call the runtime
            case Op.Spatial s -> SpatialKernels.call(n, out, storage::load, storage::workspace);
            // the adjoint of a gather calls the runtime's scatter-add
            case Op.ScatterAdd s -> scatterAdd(n, out);
            default -> new Kernel.Pointwise(n.shape(), out, exprs.opExpr(n, n.shape(), plan));
        };
    }

    /** The product {@code n} into {@code out}, then (when {@code epilogue} is not null) that node's pointwise value in place. */
    Kernel matmul(Node n, Buffer out, Node epilogue, FusionPlan plan) {
        Op.MatMul m = (Op.MatMul) n.op();
        Node a = n.input(0), b = n.input(1);
        Buffer ab = storage.load(a), bb = storage.load(b);
        if (ab == out || bb == out) throw new IllegalStateException("matmul output aliases an operand: " + n);
        int r = n.shape().rank(); // a batched product multiplies the matrices of its last two axes
        Kernel.MatMul product = new Kernel.MatMul(ab, bb, out, m.transA(), m.transB(),
                n.shape().dim(r - 2), n.shape().dim(r - 1), m.transA() ? a.shape().dim(r - 2) : a.shape().dim(r - 1),
                ShapeRules.batchCount(n.shape()));
        if (epilogue == null) return product;
        return new Kernel.WithEpilogue(product, List.of(new Kernel.Pointwise(epilogue.shape(), out, exprs.opExpr(epilogue, epilogue.shape(), plan))));
    }

    /** {@code out = scatter_add(values, indices)}: the values' rows into a zeroed [rows, cols] table. */
    private Kernel scatterAdd(Node n, Buffer out) {
        Buffer values = storage.load(n.input(0)), indices = storage.load(n.input(1));
        if (values == out) throw new IllegalStateException("scatter_add output aliases its values: " + n);
        return new Kernel.ScatterAdd(values, indices, out, n.input(1).shape().numel(),
                Math.toIntExact(n.shape().dim(0).size()), Math.toIntExact(n.shape().dim(1).size()));
    }

    /** {@code n}'s value (an index it recomputes elsewhere) stored in {@code out} for readers that load it. */
    Kernel stored(Node n, Buffer out, FusionPlan plan) {
        return new Kernel.Pointwise(n.shape(), out, exprs.expr(n, n.shape(), plan));
    }

    /** {@code from}'s value copied into {@code to} (an export or update whose value lives elsewhere). */
    Kernel copy(Node from, Buffer to, FusionPlan plan) {
        return new Kernel.Pointwise(to.shape(), to, exprs.expr(from, to.shape(), plan));
    }
}
