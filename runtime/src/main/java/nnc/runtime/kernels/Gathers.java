package nnc.runtime.kernels;

import java.util.Arrays;
import nnc.runtime.data.DataException;

/**
 * Row gathers and their adjoint, the scatter-add, over row-major tables {@code [rows, cols]}: what
 * generated trainers and the interpreter run for an embedding lookup and its gradient.
 * A row index outside {@code 0..rows−1} is an error ({@link DataException}, naming the index), never
 * a read of another tensor's memory: generated code computes each gathered element's offset as
 * {@code row(index, rows) * cols + column}.
 */
public final class Gathers {
    private Gathers() {}

    /** {@code index} when it is in {@code 0..rows−1}, else a {@link DataException}. Small enough to inline. */
    public static int row(int index, int rows) {
        if (Integer.compareUnsigned(index, rows) >= 0) throw outOfRange(index, rows);
        return index;
    }

    private static DataException outOfRange(int index, int rows) {
        return new DataException("index " + index + " is outside the " + rows + " rows 0.." + (rows - 1)
                + " of a gathered table (a token id beyond an embedding's vocabulary?)");
    }

    /**
     * {@code out[p, j] = table[indices[p], j]} for the first {@code n} indices: the interpreter's gather
     * (generated code inlines it into its loops).
     */
    public static void gather(float[] table, int[] indices, float[] out, int n, int rows, int cols) {
        for (int p = 0; p < n; p++) System.arraycopy(table, row(indices[p], rows) * cols, out, p * cols, cols);
    }

    /**
     * {@code out = 0}, then {@code out[indices[p], j] += values[p, j]} for p = 0 .. n−1 in increasing
     * order (each element of out sums its contributions in that order, so the result is deterministic
     * and the same on every back end). {@code out} is {@code [rows, cols]}, {@code values} {@code [n, cols]};
     * both must be distinct arrays.
     */
    public static void scatterAdd(float[] values, int[] indices, float[] out, int n, int rows, int cols) {
        Arrays.fill(out, 0, rows * cols, 0f);
        for (int p = 0; p < n; p++) {
            int r = row(indices[p], rows) * cols, v = p * cols;
            for (int j = 0; j < cols; j++) out[r + j] += values[v + j];
        }
    }
}
