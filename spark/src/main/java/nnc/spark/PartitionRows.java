package nnc.spark;

import java.io.Serializable;
import nnc.runtime.CompiledModel;

/**
 * The training rows one partition owns, as the values of each fed tensor (input and target, model
 * order): {@code values[i]} is a {@code float[]} or {@code int[]} of {@code rows * widths[i]} values.
 * Global row {@code start + r} is local row {@code r}. An executor keeps it in its cached RDD
 * partition; a step's task copies the rows it names into its replica's tensors.
 */
public record PartitionRows(int partition, int start, int rows, String[] names, int[] widths, Object[] values) implements Serializable {
    /** Writes local rows {@code local[0 .. count)} as batch rows {@code 0 .. count-1} of {@code m}'s fed tensors. */
    public void copyInto(CompiledModel m, int[] local, int count) {
        for (int i = 0; i < names.length; i++) {
            int w = widths[i], at = m.offset(names[i]);
            Object dst = values[i] instanceof float[] ? m.floats(names[i]) : m.ints(names[i]);
            for (int r = 0; r < count; r++) {
                int row = local[r];
                if (row < 0 || row >= rows)
                    throw new IllegalArgumentException("local row " + row + " outside partition " + partition + "'s 0.." + (rows - 1));
                System.arraycopy(values[i], row * w, dst, at + r * w, w);
            }
        }
    }
}
