package nnc.runtime.api;

import java.util.Arrays;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;

/** An i32 tensor (class indices, tokens) of a model ({@link TensorView}): what a generated trainer's accessors such as {@code model.x()} return. */
public final class IntTensor extends TensorView {
    private final int[] array;

    public IntTensor(CompiledModel model, String name) {
        super(model, name, DType.I32);
        this.array = model.ints(name);
    }

    /** Value {@code col} of row {@code row}. */
    public int get(int row, int col) { return array[index(row, col)]; }

    public void set(int row, int col, int value) { array[index(row, col)] = value; }

    /** Value {@code i} in row-major order over the whole tensor. */
    public int get(int i) { return get(i / rowSize, i % rowSize); }

    public void set(int i, int value) { set(i / rowSize, i % rowSize, value); }

    /** A copy of row {@code row}. */
    public int[] row(int row) { return rows(row, 1)[0]; }

    /** Copies of {@code n} rows from {@code first}. */
    public int[][] rows(int first, int n) {
        checkRows(first, n, rowSize);
        int[][] out = new int[n][];
        for (int r = 0; r < n; r++) {
            int from = offset + (first + r) * rowSize;
            out[r] = Arrays.copyOfRange(array, from, from + rowSize);
        }
        return out;
    }

    /** Writes {@code values} as rows {@code first, first + 1, ...}; each must have {@link #rowSize()} values. */
    public void setRows(int first, int[][] values) {
        checkRows(first, values.length, values.length == 0 ? rowSize : values[0].length);
        for (int r = 0; r < values.length; r++) {
            checkRows(first + r, 1, values[r].length);
            System.arraycopy(values[r], 0, array, offset + (first + r) * rowSize, rowSize);
        }
    }

    /** A copy of every value, row-major. */
    public int[] toArray() { return Arrays.copyOfRange(array, offset, offset + size()); }

    /** Writes every value, row-major; {@code values} must have {@link #size()} of them. */
    public void set(int[] values) {
        if (values.length != size()) throw new IllegalArgumentException(spec.name() + " " + spec.typeText() + " holds " + size() + " values, not " + values.length);
        System.arraycopy(values, 0, array, offset, values.length);
    }
}
