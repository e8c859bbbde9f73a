package nnc.schedule;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import nnc.ir.BinaryFn;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * A Graph IR node's value as a Kernel IR expression at each point of a kernel's domain: the nodes
 * the {@link FusionPlan} fuses are inlined (recomputed at the point), every other value is loaded
 * from the buffer that holds it, with the strides that broadcast it to the domain.
 */
final class KernelExprs {
    private final Storage storage;

    KernelExprs(Storage storage) { this.storage = storage; }

    /** The value of {@code n} at each point of {@code domain}, to which n's shape broadcasts. */
    KExpr expr(Node n, Shape domain, FusionPlan plan) {
        if (n.op() instanceof Op.Constant c) return new KExpr.Const((float) c.value());
        if (n.op() instanceof Op.DimSize d) return new KExpr.DimSize(d.symbol());
        if (n.op() instanceof Op.Iota io) { // recomputed in every loop, even when also stored for another reader
            // n's axis, aligned right with the domain (broadcasting); an axis of size 1 is index 0 everywhere
            if (io.shape().dim(io.axis()).isOne()) return new KExpr.Const(0f);
            return new KExpr.Index(domain.rank() - io.shape().rank() + io.axis());
        }
        // a reshape of an immediate or of a recomputed uniform value reads the same single value everywhere
        if (n.op() instanceof Op.Reshape && (FusionPlan.isImmediate(n) || plan.isFused(n))) return expr(n.input(0), domain, plan);
        if (plan.isFused(n)) return opExpr(n, domain, plan);
        Buffer b = storage.get(n);
        if (b == null) throw new IllegalStateException("value used before it is computed: " + n);
        return new KExpr.Load(b, broadcastStrides(n.shape(), domain));
    }

    /** n's own operation at each point of {@code domain} (n.shape() broadcasts to it). */
    KExpr opExpr(Node n, Shape domain, FusionPlan plan) {
        return switch (n.op()) {
            case Op.Unary u -> new KExpr.Unary(u.fn(), expr(n.input(0), domain, plan));
            case Op.Binary bin -> new KExpr.Binary(bin.fn(), expr(n.input(0), domain, plan), expr(n.input(1), domain, plan));
            case Op.Broadcast bc -> expr(n.input(0), domain, plan);
            case Op.Where w -> new KExpr.Select(expr(n.input(0), domain, plan), expr(n.input(1), domain, plan), expr(n.input(2), domain, plan));
            case Op.Transpose t -> {
                // a copy whose load walks the input with permuted strides (the input has a buffer: injective ops fuse nothing in)
                Node x = n.input(0);
                if (FusionPlan.isImmediate(x)) yield expr(x, domain, plan);
                List<Size> inStrides = x.shape().strides();
                List<Size> strides = new ArrayList<>();
                for (int k = 0; k < t.perm().size(); k++)
                    strides.add(x.shape().dim(t.perm().get(k)).isOne() ? Size.of(0) : inStrides.get(t.perm().get(k)));
                if (!domain.equals(n.shape())) throw new IllegalStateException("transpose evaluated over another domain: " + n);
                yield new KExpr.Load(storage.bufferOf(x), strides);
            }
            case Op.Slice sl -> {
                // a load at the slice's first element, stepping over the input (which has a buffer: injective ops fuse nothing in)
                Node x = n.input(0);
                if (FusionPlan.isImmediate(x)) yield expr(x, domain, plan);
                if (!domain.equals(n.shape())) throw new IllegalStateException("slice evaluated over another domain: " + n);
                List<Size> inStrides = x.shape().strides();
                List<Size> strides = new ArrayList<>();
                List<Size> offset = new ArrayList<>();
                for (int k = 0; k < x.shape().rank(); k++) {
                    plus(offset, inStrides.get(k).times(Size.of(sl.start().get(k))));
                    if (sl.indexed(k)) continue;
                    strides.add(n.shape().dim(strides.size()).isOne() ? Size.of(0) : inStrides.get(k).times(Size.of(sl.step().get(k))));
                }
                yield new KExpr.Load(storage.bufferOf(x), strides, offset, false);
            }
            case Op.Pad pd -> {
                // the input's element at i − before, chosen only where i − before is inside it, else 0
                Node x = n.input(0);
                if (!domain.equals(n.shape())) throw new IllegalStateException("pad evaluated over another domain: " + n);
                // x's own load (a fused slice of x reads its input in place), moved by the padding before each axis
                KExpr value = FusionPlan.isImmediate(x) ? expr(x, domain, plan)
                        : plan.isFused(x) ? opExpr(x, x.shape(), plan) : new KExpr.Load(storage.bufferOf(x), broadcastStrides(x.shape(), x.shape()));
                if (value instanceof KExpr.Load at) {
                    List<Size> offset = new ArrayList<>(at.offset());
                    for (int k = 0; k < n.shape().rank(); k++) // a stride of 0 (an axis of size 1) reads index 0 wherever the select chooses it
                        if (!at.strides().get(k).isZero()) plus(offset, at.strides().get(k).times(Size.of(-pd.before().get(k))));
                    value = new KExpr.Load(at.buffer(), at.strides(), offset, true);
                }
                KExpr zero = new KExpr.Const(0f);
                for (int k = n.shape().rank() - 1; k >= 0; k--) {
                    long lo = pd.before().get(k);
                    if (lo == 0 && pd.after().get(k) == 0) continue;
                    long hi = lo + x.shape().dim(k).size();
                    if (pd.after().get(k) > 0) value = new KExpr.Select(new KExpr.Binary(BinaryFn.GT, new KExpr.Const(hi), new KExpr.Index(k)), value, zero);
                    if (lo > 0) value = new KExpr.Select(new KExpr.Binary(BinaryFn.GE, new KExpr.Index(k), new KExpr.Const(lo)), value, zero);
                }
                yield value;
            }
            case Op.OneHot oh -> new KExpr.OneHot(indexLoad(n, n.input(0), domain), domain.rank() - 1);
            // the row an index picks, read at the column of the domain's last axis
            case Op.Gather ga -> {
                Node table = n.input(0);
                List<Size> columns = new ArrayList<>(Collections.nCopies(domain.rank(), Size.of(0)));
                if (!n.shape().last().isOne()) columns.set(domain.rank() - 1, Size.of(1));
                yield new KExpr.Gather(indexLoad(n, n.input(1), domain), new KExpr.Load(storage.bufferOf(table), columns),
                        Math.toIntExact(table.shape().dim(0).size()), Math.toIntExact(table.shape().dim(1).size()));
            }
            default -> throw new IllegalStateException("not a pointwise op: " + n);
        };
    }

    /**
     * The load of the i32 {@code indices} [..] of {@code n} [.., k] (a one-hot row or a gathered row) at
     * each point of {@code domain}: the index of the point's row, constant along the last axis.
     */
    private KExpr.Load indexLoad(Node n, Node indices, Shape domain) {
        Buffer ib = storage.get(indices);
        if (ib == null) throw new IllegalStateException(n.op().mnemonic() + " of a computed index tensor: " + n);
        List<Size> strides = new ArrayList<>(broadcastStrides(n.shape(), domain));
        List<Size> idxStrides = indices.shape().strides();
        int off = domain.rank() - n.shape().rank();
        for (int k = 0; k < indices.shape().rank(); k++)
            strides.set(off + k, n.shape().dim(k).equals(domain.dim(off + k)) ? idxStrides.get(k) : Size.of(0));
        strides.set(domain.rank() - 1, Size.of(0));
        return new KExpr.Load(ib, strides);
    }

    /** Adds {@code term} to the sum {@code offset}: into the term of the same symbols, dropping zeros. */
    private static void plus(List<Size> offset, Size term) {
        if (term.isZero()) return;
        for (int i = 0; i < offset.size(); i++)
            if (offset.get(i).symbols().equals(term.symbols())) {
                Size sum = new Size(Math.addExact(offset.get(i).constant(), term.constant()), term.symbols());
                if (sum.isZero()) offset.remove(i);
                else offset.set(i, sum);
                return;
            }
        offset.add(term);
    }

    /** Row-major strides of a tensor of shape {@code s} read at each point of {@code domain}: 0 on broadcast axes. */
    static List<Size> broadcastStrides(Shape s, Shape domain) {
        List<Size> own = s.strides();
        List<Size> out = new ArrayList<>(domain.rank());
        int off = domain.rank() - s.rank();
        for (int a = 0; a < domain.rank(); a++) {
            int k = a - off;
            boolean broadcast = k < 0 || (s.dim(k).isOne() && !domain.dim(a).isOne());
            out.add(broadcast || s.dim(k).isOne() ? Size.of(0) : own.get(k));
        }
        return out;
    }
}
