package nnc.runtime.io;

import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A named dense tensor as stored in a safetensors file: row-major data, either 32-bit floats
 * ({@link #F32}, in {@code f32}) or 32-bit integers ({@link #I32}, in {@code i32}); the other array
 * is null. Files holding F64 or I64 data are converted on reading (see {@link SafeTensors#read}).
 *
 * <p>The arrays are held, not copied: a tensor is a view of its data, which the caller should not
 * change while others use it.
 *
 * @param name  the tensor's name, e.g. {@code h1.W}
 * @param dtype {@link #F32} or {@link #I32}
 * @param shape the dimensions; {@code []} for a scalar
 */
public record Tensor(String name, String dtype, long[] shape, float[] f32, int[] i32) {
    /** 32-bit IEEE float data type name, as safetensors spells it. */
    public static final String F32 = "F32";
    /** 32-bit signed integer data type name, as safetensors spells it. */
    public static final String I32 = "I32";

    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        shape = shape.clone();
        for (long d : shape) if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
        long n = elementCount(shape);
        switch (Objects.requireNonNull(dtype, "dtype")) {
            case F32 -> {
                if (f32 == null || i32 != null) throw new IllegalArgumentException(name + ": an F32 tensor holds float data only");
                if (f32.length != n) throw new IllegalArgumentException(name + ": shape " + shapeText(shape) + " needs " + n + " values, got " + f32.length);
            }
            case I32 -> {
                if (i32 == null || f32 != null) throw new IllegalArgumentException(name + ": an I32 tensor holds int data only");
                if (i32.length != n) throw new IllegalArgumentException(name + ": shape " + shapeText(shape) + " needs " + n + " values, got " + i32.length);
            }
            default -> throw new IllegalArgumentException(name + ": dtype must be F32 or I32, not " + dtype);
        }
    }

    /** An F32 tensor. */
    public static Tensor f32(String name, long[] shape, float[] data) { return new Tensor(name, F32, shape, data, null); }

    /** An I32 tensor. */
    public static Tensor i32(String name, long[] shape, int[] data) { return new Tensor(name, I32, shape, null, data); }

    @Override public long[] shape() { return shape.clone(); }

    /** The number of dimensions (0 for a scalar). */
    public int rank() { return shape.length; }

    /** The size of dimension {@code axis}. */
    public long dim(int axis) { return shape[axis]; }

    /** The number of values: the product of the dimensions (1 for a scalar). */
    public int elementCount() { return f32 != null ? f32.length : i32.length; }

    /** True for F32 data. */
    public boolean isFloat() { return f32 != null; }

    /** The shape as {@code [3, 2]} (PyTorch's spelling, for messages). */
    public String shapeText() { return shapeText(shape); }

    /** The same data under another name. */
    public Tensor withName(String newName) { return new Tensor(newName, dtype, shape, f32, i32); }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + shapeText(shape) + " has too many elements");
            }
        }
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("shape " + shapeText(shape) + " has too many elements for a Java array");
        return n;
    }

    static String shapeText(long[] shape) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (long d : shape) j.add(Long.toString(d));
        return j.toString();
    }

    @Override public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape)
                && Arrays.equals(f32, t.f32) && Arrays.equals(i32, t.i32);
    }

    @Override public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(f32), Arrays.hashCode(i32));
    }

    @Override public String toString() { return name + ": " + dtype + shapeText(); }
}
