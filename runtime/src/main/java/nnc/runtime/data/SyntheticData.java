package nnc.runtime.data;

import java.util.SplittableRandom;

/**
 * The two-dimensional binary classification sets of TensorFlow Playground, seeded: the same
 * (kind, n, noise, seed) always gives the same bits. Every set has 2 features and class indices
 * 0/1, and its rows come shuffled, so a model reading them in order does not see one class first.
 * Noise is Gaussian with standard deviation {@code noise}, added to both coordinates.
 */
public final class SyntheticData {
    private SyntheticData() {}

    /**
     * Two concentric circles as sklearn's {@code make_circles(factor = 0.5)}: class 0 on the circle
     * of radius 1, class 1 on the circle of radius 0.5, evenly spaced angles.
     */
    public static Dataset circles(int n, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] y = new int[n];
        int outer = n / 2, inner = n - outer;
        for (int i = 0; i < n; i++) {
            boolean isOuter = i < outer;
            double angle = 2 * Math.PI * (isOuter ? i : i - outer) / (isOuter ? outer : inner);
            double radius = isOuter ? 1.0 : 0.5;
            x[2 * i] = (float) (radius * StrictMath.cos(angle) + noise * gaussian(r));
            x[2 * i + 1] = (float) (radius * StrictMath.sin(angle) + noise * gaussian(r));
            y[i] = isOuter ? 0 : 1;
        }
        return shuffled(x, y, r);
    }

    /** Points uniform in [-1, 1]²; class 1 where x·y > 0 (first and third quadrant), noise added after labelling. */
    public static Dataset xor(int n, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double u = 2 * r.nextDouble() - 1, v = 2 * r.nextDouble() - 1;
            y[i] = u * v > 0 ? 1 : 0;
            x[2 * i] = (float) (u + noise * gaussian(r));
            x[2 * i + 1] = (float) (v + noise * gaussian(r));
        }
        return shuffled(x, y, r);
    }

    /**
     * Two Gaussian blobs: class 1 around (1, 1), class 0 around (-1, -1), each coordinate with
     * standard deviation {@code 0.5 + noise} (so the classes overlap a little even at noise 0).
     */
    public static Dataset gaussians(int n, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] y = new int[n];
        double std = 0.5 + noise;
        for (int i = 0; i < n; i++) {
            int label = i < n / 2 ? 1 : 0;
            double centre = label == 1 ? 1 : -1;
            x[2 * i] = (float) (centre + std * gaussian(r));
            x[2 * i + 1] = (float) (centre + std * gaussian(r));
            y[i] = label;
        }
        return shuffled(x, y, r);
    }

    /**
     * {@code classes} Gaussian blobs in {@code dim} dimensions, {@code n / classes} rows each (row i has
     * class i mod classes before shuffling): class c is centred at 2·e_(c mod dim), negated when
     * c ≥ dim (so centres are 2√2 apart; at most 2·dim classes), and every coordinate has standard
     * deviation {@code 0.5 + noise} around it. With
     * {@code dim = 2, classes = 2} this is {@link #gaussians(int, double, long)}, bit for bit.
     */
    public static Dataset gaussians(int n, double noise, int dim, int classes, long seed) {
        if (dim == 2 && classes == 2) return gaussians(n, noise, seed);
        if (dim < 1 || classes < 2 || classes > 2 * dim)
            throw new IllegalArgumentException("gaussians needs dim >= 1 and 2 <= classes <= 2 * dim");
        SplittableRandom r = new SplittableRandom(seed);
        double[] centres = new double[classes * dim];
        for (int c = 0; c < classes; c++) centres[c * dim + c % dim] = c < dim ? 2 : -2;
        float[] x = new float[Math.multiplyExact(n, dim)];
        int[] y = new int[n];
        double std = 0.5 + noise;
        for (int i = 0; i < n; i++) {
            int label = i % classes;
            for (int k = 0; k < dim; k++) x[i * dim + k] = (float) (centres[label * dim + k] + std * gaussian(r));
            y[i] = label;
        }
        shuffleRows(x, y, dim, r);
        return Dataset.classification(x, new int[] {dim}, y, classes);
    }

    /** Two interleaved spirals of radius 1 (1.75 turns each), class 0 and class 1 half a turn apart. */
    public static Dataset spiral(int n, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[2 * n];
        int[] y = new int[n];
        int first = n / 2;
        for (int i = 0; i < n; i++) {
            int label = i < first ? 0 : 1;
            int k = label == 0 ? i : i - first;
            int count = label == 0 ? first : n - first;
            double t = (double) k / count;
            double angle = 1.75 * 2 * Math.PI * t + (label == 0 ? 0 : Math.PI);
            x[2 * i] = (float) (t * StrictMath.sin(angle) + noise * gaussian(r));
            x[2 * i + 1] = (float) (t * StrictMath.cos(angle) + noise * gaussian(r));
            y[i] = label;
        }
        return shuffled(x, y, r);
    }

    /** Fisher–Yates over the rows, then the data set. */
    private static Dataset shuffled(float[] x, int[] y, SplittableRandom r) {
        for (int i = y.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = y[i];
            y[i] = y[j];
            y[j] = t;
            float a = x[2 * i], b = x[2 * i + 1];
            x[2 * i] = x[2 * j];
            x[2 * i + 1] = x[2 * j + 1];
            x[2 * j] = a;
            x[2 * j + 1] = b;
        }
        return Dataset.classification(x, new int[] {2}, y, 2);
    }

    /** Fisher–Yates over rows of {@code width} features. */
    private static void shuffleRows(float[] x, int[] y, int width, SplittableRandom r) {
        float[] row = new float[width];
        for (int i = y.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = y[i];
            y[i] = y[j];
            y[j] = t;
            System.arraycopy(x, i * width, row, 0, width);
            System.arraycopy(x, j * width, x, i * width, width);
            System.arraycopy(row, 0, x, j * width, width);
        }
    }

    /** A standard normal variate by Box–Muller over {@link StrictMath}: the same on every JDK. */
    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
