package nnc.runtime.io;

import java.nio.file.Path;
import nnc.runtime.data.DataException;
import nnc.runtime.data.UnlabelledData;

/**
 * Rows of features without labels, for {@code nnc predict}: a CSV file of numbers (an optional
 * header line of names is skipped; every row has the same number of columns), or an IDX file of
 * unsigned bytes (gzip or plain, as the MNIST files), each value multiplied by {@code scale}.
 * Problems are {@link DataException}s naming the file and the row or line.
 *
 * @param x            the rows, one after another
 * @param rows         the number of rows
 * @param featureShape the shape of one row
 */
public record FeatureFile(float[] x, int rows, int[] featureShape) {
    /** The values per row. */
    public int featureSize() {
        int n = 1;
        for (int d : featureShape) n *= d;
        return n;
    }

    /** Reads {@code path} as {@code read(path, scale, false)}. */
    public static FeatureFile read(Path path, float scale) { return read(path, scale, false); }

    /**
     * Reads {@code path} with the training data's readers ({@link UnlabelledData}): IDX when its
     * content starts with an IDX header, else CSV; every value times {@code scale}. Non-finite
     * values are an error naming the row and column unless {@code allowNonFinite}.
     */
    public static FeatureFile read(Path path, float scale, boolean allowNonFinite) {
        UnlabelledData d = UnlabelledData.read(path, allowNonFinite);
        float[] x = d.x();
        if (scale != 1f) {
            for (int i = 0; i < x.length; i++) {
                float v = x[i] * scale;
                if (!Float.isFinite(v) && Float.isFinite(x[i]) && !allowNonFinite)
                    throw new DataException(path + ": row " + (i / d.featureSize() + 1) + ", column " + (i % d.featureSize() + 1)
                            + ": " + x[i] + " times the scale " + scale + " is " + v + ", not a finite number");
                x[i] = v;
            }
        }
        return new FeatureFile(x, d.rows(), d.featureShape());
    }
}
