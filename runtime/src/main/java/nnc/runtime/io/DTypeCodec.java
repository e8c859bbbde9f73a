package nnc.runtime.io;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The safetensors data types nnc reads, with their sizes and how each becomes a {@link Tensor}:
 * F32 and I32 as they are, F64 rounded to float, I64 narrowed to int (PyTorch's default integer
 * type is 64-bit, so class indices usually arrive as I64).
 */
enum DTypeCodec {
    F32(4) {
        @Override Tensor decode(String name, long[] shape, ByteBuffer data) {
            float[] v = new float[data.remaining() / 4];
            data.asFloatBuffer().get(v);
            return Tensor.f32(name, shape, v);
        }
    },
    F64(8) {
        @Override Tensor decode(String name, long[] shape, ByteBuffer data) {
            float[] v = new float[data.remaining() / 8];
            for (int i = 0; i < v.length; i++) {
                double d = data.getDouble(i * 8);
                v[i] = (float) d;
                if (Float.isInfinite(v[i]) && !Double.isInfinite(d))
                    throw new ValueRangeException("value " + d + " at index " + i + " is beyond the range of f32");
            }
            return Tensor.f32(name, shape, v);
        }
    },
    I32(4) {
        @Override Tensor decode(String name, long[] shape, ByteBuffer data) {
            int[] v = new int[data.remaining() / 4];
            data.asIntBuffer().get(v);
            return Tensor.i32(name, shape, v);
        }
    },
    I64(8) {
        @Override Tensor decode(String name, long[] shape, ByteBuffer data) {
            int[] v = new int[data.remaining() / 8];
            for (int i = 0; i < v.length; i++) {
                long l = data.getLong(i * 8);
                if (l != (int) l) throw new ValueRangeException("value " + l + " at index " + i + " does not fit in 32 bits (i32)");
                v[i] = (int) l;
            }
            return Tensor.i32(name, shape, v);
        }
    };

    private final int size;

    DTypeCodec(int size) { this.size = size; }

    /** Bytes per element. */
    int size() { return size; }

    /** Decodes little-endian {@code data} (exactly the tensor's bytes) into a tensor. */
    abstract Tensor decode(String name, long[] shape, ByteBuffer data);

    /** The codec for a safetensors dtype name, or null if nnc does not read that type. */
    static DTypeCodec named(String dtype) {
        for (DTypeCodec c : values()) if (c.name().equals(dtype)) return c;
        return null;
    }

    /** "F32, F64, I32 and I64", for messages. */
    static String names() {
        String all = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " and " + all.substring(last + 2);
    }

    /** A stored value that does not fit the type nnc converts it to. */
    static final class ValueRangeException extends RuntimeException {
        ValueRangeException(String message) { super(message); }
    }
}
