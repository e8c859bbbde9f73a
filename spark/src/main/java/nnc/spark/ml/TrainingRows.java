package nnc.spark.ml;

import java.util.List;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import org.apache.spark.sql.Row;

/** A DataFrame's collected (features, label) rows as a checked classification data set for a model. */
final class TrainingRows {
    private TrainingRows() {}

    /**
     * @throws IllegalArgumentException naming the column and the row index of the first null, wrongly
     *                                  sized or non-numeric features, or a label that is not a class index
     */
    static Dataset of(List<Row> rows, ModelInfo info, String featuresCol, String labelCol) {
        TensorSpec input = NncModelSource.input(info);
        NncModelSource.target(info);
        int classes = NncModelSource.scores(info).rowSize();
        int width = input.rowSize();
        float[] x = new float[Math.multiplyExact(rows.size(), width)];
        int[] y = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            FeatureRows.features(row, 0, featuresCol, r, width, x, r * width);
            y[r] = FeatureRows.label(row, 1, labelCol, r, classes);
        }
        int[] dims = input.dims();
        int[] shape = new int[dims.length - 1];
        System.arraycopy(dims, 1, shape, 0, shape.length);
        return Dataset.classification(x, shape, y, classes);
    }
}
