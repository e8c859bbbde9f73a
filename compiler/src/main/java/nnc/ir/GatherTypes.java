package nnc.ir;

import java.util.List;
import nnc.runtime.DType;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeError;
import nnc.types.TensorType;

/** Result types of the row gather ({@link Op.Gather}) and its adjoint ({@link Op.ScatterAdd}). */
final class GatherTypes {
    private GatherTypes() {}

    /** {@code (table f32[V, D], indices i32[..]) → f32[.., D]}; V and D fixed. */
    static TensorType gather(List<Node> in) throws ShapeError {
        if (in.size() != 2) throw new ShapeError("gather takes 2 inputs (table, indices), got " + in.size());
        Node table = in.get(0), indices = in.get(1);
        if (table.type().dtype() != DType.F32 || table.shape().rank() != 2 || !fixed(table.shape()))
            throw new ShapeError("gather needs an f32 table [rows, columns] of fixed size, got " + table.type());
        requireIndices(indices, "gather");
        return TensorType.f32(indices.shape().append(table.shape().dim(1)));
    }

    /** {@code (values f32[.., D], indices i32[..]) → f32[rows, D]}; D fixed. */
    static TensorType scatterAdd(Op.ScatterAdd s, List<Node> in) throws ShapeError {
        if (in.size() != 2) throw new ShapeError("scatter_add takes 2 inputs (values, indices), got " + in.size());
        if (s.rows() < 1) throw new ShapeError("scatter_add needs at least one row, got " + s.rows());
        Node values = in.get(0), indices = in.get(1);
        requireIndices(indices, "scatter_add");
        Shape vs = values.shape();
        if (values.type().dtype() != DType.F32 || vs.rank() != indices.shape().rank() + 1 || !(vs.last() instanceof Dim.Fixed)
                || !vs.equals(indices.shape().append(vs.last())))
            throw new ShapeError("scatter_add needs f32 values shaped as the indices " + indices.shape() + " plus a fixed last axis, got "
                    + values.type());
        return TensorType.f32(Shape.of(Dim.of(s.rows()), vs.last()));
    }

    private static void requireIndices(Node indices, String op) throws ShapeError {
        if (indices.type().dtype() != DType.I32) throw new ShapeError(op + " needs i32 indices, got " + indices.type());
    }

    private static boolean fixed(Shape s) {
        for (Dim d : s.dims()) if (!(d instanceof Dim.Fixed)) return false;
        return true;
    }
}
