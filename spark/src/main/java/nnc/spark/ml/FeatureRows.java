package nnc.spark.ml;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Reads a DataFrame's feature and label cells into a model's rows, naming the column and the row's
 * index (its position in the DataFrame, from 0) in every complaint.
 */
final class FeatureRows {
    private FeatureRows() {}

    /** Writes the {@code width} features of cell {@code col} of {@code row} at {@code dst[at ..]}. */
    static void features(Row row, int col, String column, long index, int width, float[] dst, int at) {
        if (row.isNullAt(col)) throw new IllegalArgumentException("column " + column + ", row " + index + ": the features are null");
        Object v = row.get(col);
        if (v instanceof Vector vec) {
            if (vec.size() != width) throw wrongWidth(column, index, vec.size(), width);
            for (int i = 0; i < width; i++) dst[at + i] = (float) vec.apply(i);
        } else if (v instanceof scala.collection.Seq<?> || v instanceof List<?>) {
            List<Object> list = row.getList(col);
            if (list.size() != width) throw wrongWidth(column, index, list.size(), width);
            for (int i = 0; i < width; i++) {
                if (!(list.get(i) instanceof Number n))
                    throw new IllegalArgumentException("column " + column + ", row " + index + ": feature " + i + " is " + list.get(i) + ", not a number");
                dst[at + i] = n.floatValue();
            }
        } else {
            throw new IllegalArgumentException("column " + column + ", row " + index + ": features must be an ML Vector or an array of numbers, not "
                    + v.getClass().getSimpleName());
        }
    }

    /** The class index in cell {@code col} of {@code row}: a whole number in {@code 0 .. classes-1}. */
    static int label(Row row, int col, String column, long index, int classes) {
        if (row.isNullAt(col)) throw new IllegalArgumentException("column " + column + ", row " + index + ": the label is null");
        if (!(row.get(col) instanceof Number n))
            throw new IllegalArgumentException("column " + column + ", row " + index + ": the label " + row.get(col) + " is not a number");
        double d = n.doubleValue();
        if (d != Math.rint(d) || d < 0 || d >= classes)
            throw new IllegalArgumentException("column " + column + ", row " + index + ": the label " + n + " is not a class index in 0.."
                    + (classes - 1));
        return (int) d;
    }

    private static IllegalArgumentException wrongWidth(String column, long index, int got, int width) {
        return new IllegalArgumentException("column " + column + ", row " + index + ": " + got + " features, the model takes " + width);
    }
}
