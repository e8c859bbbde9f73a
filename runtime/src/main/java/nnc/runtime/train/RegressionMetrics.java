package nnc.runtime.train;

import java.util.Locale;

/**
 * Mean absolute error, root mean squared error and the coefficient of determination of a float
 * output against a float target of the same shape, over every value (all columns as one, which for
 * one column is scikit-learn's {@code r2_score}): R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², NaN when the
 * target is constant. Sums are kept in double.
 */
public record RegressionMetrics(String output, String target, long values, double mae, double rmse, double r2) {
    /** Accumulates the sums, batch by batch. */
    static final class Sums {
        long n;
        double absolute, squared, y, y2;

        void add(float[] out, int o, float[] t, int to, int count) {
            for (int i = 0; i < count; i++) {
                double e = (double) t[to + i] - out[o + i];
                absolute += Math.abs(e);
                squared += e * e;
                y += t[to + i];
                y2 += (double) t[to + i] * t[to + i];
            }
            n += count;
        }

        RegressionMetrics metrics(String output, String target) {
            if (n == 0) return new RegressionMetrics(output, target, 0, Double.NaN, Double.NaN, Double.NaN);
            double total = y2 - y * y / n;
            return new RegressionMetrics(output, target, n, absolute / n, Math.sqrt(squared / n), total > 0 ? 1 - squared / total : Double.NaN);
        }
    }

    @Override public String toString() { return String.format(Locale.ROOT, "MAE %.6f, RMSE %.6f, R² %.4f", mae, rmse, r2); }
}
