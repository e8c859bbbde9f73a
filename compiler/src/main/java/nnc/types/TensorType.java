package nnc.types;

import java.util.Objects;
import nnc.runtime.DType;

/** Element type and shape: {@code f32[batch,128]}. */
public record TensorType(DType dtype, Shape shape) {
    public static TensorType f32(Shape shape) { return new TensorType(DType.F32, shape); }

    public static final TensorType F32_SCALAR = f32(Shape.SCALAR);

    public int rank() { return shape.rank(); }

    public TensorType withShape(Shape s) { return new TensorType(dtype, s); }

    @Override public String toString() { return dtype.text() + shape; }

    // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
    // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
    @Override public boolean equals(Object other) {
        return other instanceof TensorType that && Objects.equals(dtype, that.dtype) && Objects.equals(shape, that.shape);
    }
    @Override public int hashCode() { return 31 * Objects.hashCode(dtype) + Objects.hashCode(shape); }
}
