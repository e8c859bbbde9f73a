package nnc.runtime.api;

import java.util.Arrays;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;

/** An f32 tensor of a model ({@link TensorView}): what a generated trainer's accessors such as {@code model.x()} return. */
public final class FloatTensor extends TensorView {
    private final float[] array;

    public FloatTensor(CompiledModel model, String name) {
        super(model, name, DType.F32);
        this.array = model.floats(name);
    }

    /** Value {@code col} of row {@code row}. */
    public float get(int row, int col) { return array[index(row, col)]; }

    public void set(int row, int col, float value) { array[index(row, col)] = value; }

    /** Value {@code i} in row-major order over the whole tensor. */
    public float get(int i) { return get(i / rowSize, i % rowSize); }

    public void set(int i, float value) { set(i / rowSize, i % rowSize, value); }

    /** A copy of row {@code row}. */
    public float[] row(int row) { return rows(row, 1)[0]; }

    /** Copies of {@code n} rows from {@code first}. */
    public float[][] rows(int first, int n) {
        checkRows(first, n, rowSize);
        float[][] out = new float[n][];
        for (int r = 0; r < n; r++) {
            int from = offset + (first + r) * rowSize;
            out[r] = Arrays.copyOfRange(array, from, from + rowSize);
        }
        return out;
    }

    /** Writes {@code values} as rows {@code first, first + 1, ...}; each must have {@link #rowSize()} values. */
    public void setRows(int first, float[][] values) {
        checkRows(first, values.length, values.length == 0 ? rowSize : values[0].length);
        for (int r = 0; r < values.length; r++) {
            checkRows(first + r, 1, values[r].length);
            System.arraycopy(values[r], 0, array, offset + (first + r) * rowSize, rowSize);
        }
    }

    /** A copy of every value, row-major. */
    public float[] toArray() { return Arrays.copyOfRange(array, offset, offset + size()); }

    /** Writes every value, row-major; {@code values} must have {@link #size()} of them. */
    public void set(float[] values) {
        if (values.length != size()) throw new IllegalArgumentException(spec.name() + " " + spec.typeText() + " holds " + size() + " values, not " + values.length);
        System.arraycopy(values, 0, array, offset, values.length);
    }
}
