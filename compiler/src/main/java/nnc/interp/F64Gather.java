package nnc.interp;

/**
 * The row gather and its scatter-add in double precision for {@link F64Evaluator}, by direct loops
 * written independently of the runtime's {@code Gathers}.
 */
final class F64Gather {
    private F64Gather() {}

    /** {@code out[p, j] = table[idx[p], j]} for a table {@code [rows, cols]}. */
    static double[] gather(double[] table, int rows, int cols, int[] idx) {
        double[] out = new double[idx.length * cols];
        for (int p = 0; p < idx.length; p++) {
            int r = checked(idx[p], rows);
            for (int j = 0; j < cols; j++) out[p * cols + j] = table[r * cols + j];
        }
        return out;
    }

    /** {@code out[idx[p], j] += values[p, j]} into a zero {@code [rows, cols]}. */
    static double[] scatterAdd(double[] values, int cols, int[] idx, int rows) {
        double[] out = new double[rows * cols];
        for (int p = 0; p < idx.length; p++) {
            int r = checked(idx[p], rows);
            for (int j = 0; j < cols; j++) out[r * cols + j] += values[p * cols + j];
        }
        return out;
    }

    private static int checked(int index, int rows) {
        if (index < 0 || index >= rows) throw new IllegalArgumentException("row index " + index + " outside 0.." + (rows - 1));
        return index;
    }
}
