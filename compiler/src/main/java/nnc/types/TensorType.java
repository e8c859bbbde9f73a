package nnc.types;

import nnc.runtime.DType;

/** Element type and shape: {@code f32[batch,128]}. */
public record TensorType(DType dtype, Shape shape) {
    public static TensorType f32(Shape shape) { return new TensorType(DType.F32, shape); }

    public static final TensorType F32_SCALAR = f32(Shape.SCALAR);

    public int rank() { return shape.rank(); }

    public TensorType withShape(Shape s) { return new TensorType(dtype, s); }

    @Override public String toString() { return dtype.text() + shape; }
}
