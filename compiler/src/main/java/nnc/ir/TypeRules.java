package nnc.ir;

import java.util.ArrayList;
import java.util.List;
import nnc.runtime.DType;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeError;
import nnc.types.ShapeRules;
import nnc.types.TensorType;


/** The result type of each primitive, from its inputs. Used by the builder and the verifier. */
public final class TypeRules {
    private TypeRules() {}

    public static TensorType infer(Op op, List<Node> in) throws ShapeError {
        if (op instanceof Op.Input i) return i.type();
        if (op instanceof Op.Param p) return p.type();
        if (op instanceof Op.State s) return s.type();
        if (op instanceof Op.Constant) return TensorType.F32_SCALAR;
        if (op instanceof Op.DimSize) return TensorType.F32_SCALAR;
        if (op instanceof Op.Iota io) { arity(in, 0, op); return TensorType.f32(io.shape()); }
        if (op instanceof Op.Unary) return f32(in, 1, op).type();
        if (op instanceof Op.Binary) {
            arity(in, 2, op);
            requireF32(in, op);
            return TensorType.f32(ShapeRules.broadcast(in.get(0).shape(), in.get(1).shape()));
        }
        if (op instanceof Op.Where) {
            arity(in, 3, op);
            requireF32(in, op);
            return TensorType.f32(ShapeRules.broadcast(ShapeRules.broadcast(in.get(0).shape(), in.get(1).shape()), in.get(2).shape()));
        }
        if (op instanceof Op.Reduce r) {
            Node x = f32(in, 1, op);
            for (int a : r.axes())
                if (a < 0 || a >= x.shape().rank()) throw new ShapeError("reduce axis " + a + " out of range for " + x.shape());
            return TensorType.f32(ShapeRules.reduce(x.shape(), r.axes(), r.keepDims()));
        }
        if (op instanceof Op.MatMul m) {
            arity(in, 2, op);
            requireF32(in, op);
            return TensorType.f32(ShapeRules.matmul(in.get(0).shape(), in.get(1).shape(), m.transA(), m.transB()));
        }
        if (op instanceof Op.Broadcast b) {
            Node x = f32(in, 1, op);
            if (!ShapeRules.broadcastsTo(x.shape(), b.to())) throw new ShapeError("cannot broadcast " + x.shape() + " to " + b.to());
            return TensorType.f32(b.to());
        }
        if (op instanceof Op.Reshape r) {
            Node x = f32(in, 1, op);
            if (!x.shape().numel().equals(r.to().numel())) throw new ShapeError("cannot reshape " + x.shape() + " to " + r.to());
            return TensorType.f32(r.to());
        }
        if (op instanceof Op.Transpose t) {
            Node x = f32(in, 1, op);
            List<Integer> sorted = t.perm().stream().sorted().toList();
            if (!sorted.equals(GraphBuilder.allAxes(x.shape())))
                throw new ShapeError("transpose " + t.perm() + " is not a permutation of the axes of " + x.shape());
            List<Dim> dims = new ArrayList<>();
            for (int p : t.perm()) dims.add(x.shape().dim(p));
            return TensorType.f32(new Shape(dims));
        }
        if (op instanceof Op.Slice sl) {
            Node x = f32(in, 1, op);
            if (sl.start().size() != x.shape().rank()) throw new ShapeError("slice of " + sl.start().size() + " axes over " + x.shape());
            List<Dim> dims = new ArrayList<>();
            for (int k = 0; k < x.shape().rank(); k++) {
                Dim d = x.shape().dim(k);
                if (sl.whole(k)) { dims.add(d); continue; }
                if (!(d instanceof Dim.Fixed f) || sl.stop().get(k) > f.size())
                    throw new ShapeError("slice " + sl.attributes() + " out of range of " + x.shape());
                if (!sl.indexed(k)) dims.add(Dim.of(sl.length(k)));
            }
            return TensorType.f32(new Shape(dims));
        }
        if (op instanceof Op.Pad pd) {
            Node x = f32(in, 1, op);
            if (pd.before().size() != x.shape().rank()) throw new ShapeError("pad of " + pd.before().size() + " axes over " + x.shape());
            List<Dim> dims = new ArrayList<>();
            for (int k = 0; k < x.shape().rank(); k++) {
                Dim d = x.shape().dim(k);
                long extra = pd.before().get(k) + pd.after().get(k);
                if (extra == 0) { dims.add(d); continue; }
                if (!(d instanceof Dim.Fixed f)) throw new ShapeError("cannot pad symbolic axis " + k + " of " + x.shape());
                dims.add(Dim.of(f.size() + extra));
            }
            return TensorType.f32(new Shape(dims));
        }
        if (op instanceof Op.OneHot h) {
            arity(in, 1, op);
            if (in.get(0).type().dtype() != DType.I32) throw new ShapeError("one_hot needs i32 indices, got " + in.get(0).type());
            return TensorType.f32(in.get(0).shape().append(Dim.of(h.classes())));
        }
        // convolution and pooling
        if (op instanceof Op.Spatial s) return SpatialTypes.infer(s, in);
        if (op instanceof Op.LoopVar v) { arity(in, 0, op); return v.type(); }
        if (op instanceof Op.Scan s) return scan(s, in);
        // row gather and scatter-add
        if (op instanceof Op.Gather) return GatherTypes.gather(in);
        if (op instanceof Op.ScatterAdd s) return GatherTypes.scatterAdd(s, in);
        throw new IllegalStateException("unexpected " + op.getClass().getSimpleName());
    }

    /** Checks the initial carries and the sequences against the body's variables. */
    private static TensorType scan(Op.Scan s, List<Node> in) throws ShapeError {
        ScanBody body = s.body();
        int c = body.carries().size(), q = body.slices().size();
        if (in.size() < c + q) throw new ShapeError("scan takes " + (c + q) + " inputs or more, got " + in.size());
        for (int i = 0; i < c; i++)
            if (!in.get(i).type().equals(body.carries().get(i).type()))
                throw new ShapeError("initial carry " + i + " is " + in.get(i).type() + ", the loop carries " + body.carries().get(i).type());
        for (int j = 0; j < q; j++) {
            TensorType seq = in.get(c + j).type(), slice = body.slices().get(j).type();
            if (seq.dtype() != slice.dtype() || !seq.shape().equals(ScanBody.stacked(slice.shape(), body.length())))
                throw new ShapeError("sequence " + j + " is " + seq + ", the loop steps " + body.length() + " times over " + slice);
        }
        if (s.output() < 0 || s.output() >= body.outputCount()) throw new ShapeError("scan output " + s.output() + " out of range");
        return body.outputType(s.output());
    }

    private static Node f32(List<Node> in, int n, Op op) throws ShapeError {
        arity(in, n, op);
        requireF32(in, op);
        return in.get(0);
    }

    private static void arity(List<Node> in, int n, Op op) throws ShapeError {
        if (in.size() != n) throw new ShapeError(op.mnemonic() + " takes " + n + " inputs, got " + in.size());
    }

    private static void requireF32(List<Node> in, Op op) throws ShapeError {
        for (Node x : in)
            if (x.type().dtype() != DType.F32) throw new ShapeError(op.mnemonic() + " needs f32 inputs, got " + x.type());
    }

    /** Shapes that only differ in being the scalar shape of a constant. */
    static boolean isScalar(Shape s) { return s.isScalar(); }
}
