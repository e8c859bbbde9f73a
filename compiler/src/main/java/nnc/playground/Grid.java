package nnc.playground;

import nnc.runtime.data.Dataset;

/**
 * The square of the input plane the pictures cover, sampled at G×G points: row 0 is the top
 * ({@code ymax}), column 0 the left ({@code xmin}); each point is its cell's centre.
 */
record Grid(int size, double xmin, double xmax, double ymin, double ymax) {
    /** The protocol's default resolution. */
    static final int DEFAULT_SIZE = 50;

    /** A square around the origin holding every point of {@code sets} with a margin, its half-width a multiple of 0.5. */
    static Grid around(int size, Dataset... sets) {
        double r = 1;
        for (Dataset d : sets) {
            if (d == null) continue;
            float[] x = d.x();
            for (float v : x) r = Math.max(r, Math.abs(v));
        }
        double half = Math.ceil(r * 1.1 * 2) / 2;
        return new Grid(size, -half, half, -half, half);
    }

    /** The x of column {@code c}. */
    double x(int c) { return xmin + (c + 0.5) * (xmax - xmin) / size; }

    /** The y of row {@code r}. */
    double y(int r) { return ymax - (r + 0.5) * (ymax - ymin) / size; }

    /** The G×G points as rows of 2 features, row-major from the top left. */
    float[] points() {
        float[] p = new float[2 * size * size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                p[2 * (r * size + c)] = (float) x(c);
                p[2 * (r * size + c) + 1] = (float) y(r);
            }
        }
        return p;
    }
}
