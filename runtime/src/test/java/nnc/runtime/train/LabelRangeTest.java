package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.DataException;
import nnc.runtime.data.Dataset;
import nnc.runtime.testing.StubModel;
import org.junit.jupiter.api.Test;

/** Labels are checked against the number of classes the model scores, and the first one out of range is named by file and row. */
class LabelRangeTest {
    private static final int B = TensorSpec.BATCH;

    /** A model with input x f32[batch, 1] whose i32 target y indexes {@code classes} classes. */
    private static StubModel model(TensorSpec target, int classes) {
        ModelInfo i = StubModel.info(1, target, classes);
        return new StubModel(new ModelInfo(i.name(), i.tensors(), i.lossName(), i.metrics(), Map.of("y", classes)), 2, s -> 1f);
    }

    @Test
    void classIndicesBeyondTheModelsClassesAreNamed() {
        Dataset d = Dataset.classification(new float[3], new int[] {1}, new int[] {0, 9, 1}, 10).withLabelOrigin("d.csv");
        var e = assertThrows(DataException.class, () -> new BatchFeeder(model(StubModel.target(DType.I32, B), 3), d));
        assertEquals("d.csv: row 2: label 9 is out of range for 3 classes (the model's target y is i32[batch] and takes 0..2)", e.getMessage());
        Dataset fits = Dataset.classification(new float[3], new int[] {1}, new int[] {0, 2, 1}, 3);
        new BatchFeeder(model(StubModel.target(DType.I32, B), 3), fits);
    }

    @Test
    void negativeAndNonClassLabelsAreNamed() {
        // -1 makes a CSV's label column a float target; an i32 target still takes only 0..classes-1
        Dataset d = Dataset.regression(new float[3], new int[] {1}, new float[] {0, 1, -1}, 1).withLabelOrigin("d.csv");
        var e = assertThrows(DataException.class, () -> new BatchFeeder(model(StubModel.target(DType.I32, B), 3), d));
        assertEquals("d.csv: row 3: label -1 is out of range for 3 classes (the model's target y is i32[batch] and takes 0..2)", e.getMessage());
        Dataset seq = Dataset.regression(new float[2], new int[] {1}, new float[] {0, 1, 2, 1000000}, 2);
        e = assertThrows(DataException.class, () -> new BatchFeeder(model(StubModel.target(DType.I32, B, 2), 3), seq));
        assertEquals("the data set: row 2: label 1000000 is out of range for 3 classes (the model's target y is i32[batch,2] and takes 0..2)",
                e.getMessage());
    }
}
