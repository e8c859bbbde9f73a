package nnc.runtime.data;

import java.util.Arrays;

/**
 * An in-memory data set of {@link #rows()} examples: features as one row-major {@code float[]}
 * with per-row shape {@link #featureShape()}, and labels either as class indices (classification)
 * or as float rows of {@link #labelWidth()} values (regression, or any other float target).
 *
 * <p>The arrays are shared, not copied: they are large, and nothing in nnc writes to them.
 */
public final class Dataset {
    private final int rows;
    private final int[] featureShape;
    private final int featureSize;
    private final float[] x;
    private final int[] classIndex;
    private final float[] labelRows;
    private final int labelWidth;
    private final int numClasses;
    private String labelOrigin;

    private Dataset(float[] x, int[] featureShape, int rows, int[] classIndex, float[] labelRows,
                    int labelWidth, int numClasses) {
        this.featureShape = featureShape.clone();
        int size = 1;
        for (int d : featureShape) {
            if (d < 1) throw new IllegalArgumentException("feature shape " + Arrays.toString(featureShape) + " has an empty dimension");
            size = Math.multiplyExact(size, d);
        }
        if ((long) rows * size != x.length)
            throw new IllegalArgumentException(rows + " rows of " + size + " features need " + (long) rows * size + " values, got " + x.length);
        this.rows = rows;
        this.featureSize = size;
        this.x = x;
        this.classIndex = classIndex;
        this.labelRows = labelRows;
        this.labelWidth = labelWidth;
        this.numClasses = numClasses;
    }

    /** A classification set: row r has class {@code classIndex[r]} in {@code 0 .. numClasses-1}. */
    public static Dataset classification(float[] x, int[] featureShape, int[] classIndex, int numClasses) {
        if (numClasses < 1) throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        for (int r = 0; r < classIndex.length; r++) {
            if (classIndex[r] < 0 || classIndex[r] >= numClasses)
                throw new IllegalArgumentException("class " + classIndex[r] + " of row " + r + " outside 0.." + (numClasses - 1));
        }
        return new Dataset(x, featureShape, classIndex.length, classIndex, null, 0, numClasses);
    }

    /** A set with float labels: row r's label is {@code labelRows[r*labelWidth .. (r+1)*labelWidth)}. */
    public static Dataset regression(float[] x, int[] featureShape, float[] labelRows, int labelWidth) {
        if (labelWidth < 1) throw new IllegalArgumentException("labelWidth must be at least 1, got " + labelWidth);
        if (labelRows.length % labelWidth != 0)
            throw new IllegalArgumentException(labelRows.length + " label values are not rows of " + labelWidth);
        return new Dataset(x, featureShape, labelRows.length / labelWidth, null, labelRows, labelWidth, 0);
    }

    /**
     * The file the labels were read from, named in messages about a label ({@code FILE: row N: ...},
     * rows counted from 1); null when they were not read from a file. Sets it on this set and returns it.
     */
    public Dataset withLabelOrigin(String origin) {
        this.labelOrigin = origin;
        return this;
    }

    /** The file the labels were read from, or null (see {@link #withLabelOrigin}). */
    public String labelOrigin() { return labelOrigin; }

    /** The number of examples. */
    public int rows() { return rows; }

    /** The shape of one example, without the batch dimension. */
    public int[] featureShape() { return featureShape.clone(); }

    /** Values per example: the product of {@link #featureShape()}. */
    public int featureSize() { return featureSize; }

    /** All features, row-major: example r is {@code x[r*featureSize() .. (r+1)*featureSize())}. */
    public float[] x() { return x; }

    /** True when labels are class indices ({@link #classIndex()}), false when float rows. */
    public boolean hasClassIndex() { return classIndex != null; }

    /** Class index of each row; null unless {@link #hasClassIndex()}. */
    public int[] classIndex() { return classIndex; }

    /** Float labels, {@link #labelWidth()} per row; null when {@link #hasClassIndex()}. */
    public float[] labelRows() { return labelRows; }

    /** Values per float label row; 0 for class-index labels. */
    public int labelWidth() { return labelWidth; }

    /** Number of classes for class-index labels; 0 for float labels. */
    public int numClasses() { return numClasses; }

    /** For messages: {@code 1000 rows of f32[2] with 2 classes}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(rows).append(" rows of f32").append(Arrays.toString(featureShape).replace(" ", ""));
        if (hasClassIndex()) sb.append(" with ").append(numClasses).append(numClasses == 1 ? " class" : " classes");
        else sb.append(" with float labels of width ").append(labelWidth);
        return sb.toString();
    }

    @Override public String toString() { return "Dataset(" + describe() + ")"; }
}
