package nnc.runtime.data;

import java.util.Arrays;

/**
 * Per-feature standardisation {@code (x − mean) / std}, with the statistics of a training set
 * (population standard deviation; a constant feature keeps std 1 and is only centred). The same
 * statistics are applied to the validation set and to new inputs, as a fitted scaler would be.
 */
public record Normalization(float[] mean, float[] std) {
    public Normalization {
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std differ in length");
        mean = mean.clone();
        std = std.clone();
    }

    @Override public float[] mean() { return mean.clone(); }

    @Override public float[] std() { return std.clone(); }

    public int features() { return mean.length; }

    /** The column statistics of {@code data}'s features (computed in double, in row order). */
    public static Normalization of(Dataset data) {
        int f = data.featureSize(), n = data.rows();
        double[] sum = new double[f], sq = new double[f];
        float[] x = data.x();
        for (int r = 0; r < n; r++)
            for (int c = 0; c < f; c++) sum[c] += x[r * f + c];
        float[] mean = new float[f], std = new float[f];
        for (int c = 0; c < f; c++) mean[c] = n == 0 ? 0f : (float) (sum[c] / n);
        for (int r = 0; r < n; r++)
            for (int c = 0; c < f; c++) {
                double d = x[r * f + c] - (double) mean[c];
                sq[c] += d * d;
            }
        for (int c = 0; c < f; c++) {
            double s = n == 0 ? 0 : Math.sqrt(sq[c] / n);
            std[c] = s > 0 && Double.isFinite(s) ? (float) s : 1f;
        }
        return new Normalization(mean, std);
    }

    /** Standardises the first {@code rows} rows of {@code x} (row-major, {@link #features()} values a row) in place. */
    public void apply(float[] x, int rows) {
        int f = mean.length;
        if ((long) rows * f > x.length) throw new IllegalArgumentException(rows + " rows of " + f + " features exceed " + x.length + " values");
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < f; c++) x[r * f + c] = (x[r * f + c] - mean[c]) / std[c];
    }

    @Override public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std); }

    @Override public String toString() { return "Normalization(" + mean.length + " features)"; }
}
