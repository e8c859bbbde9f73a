package nnc.runtime.train;

import static nnc.runtime.testing.StubModel.info;
import static nnc.runtime.testing.StubModel.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.DataException;
import nnc.runtime.data.Dataset;
import nnc.runtime.testing.StubModel;
import org.junit.jupiter.api.Test;

class BatchFeederTest {
    private static final int B = TensorSpec.BATCH;

    /** 4 rows of 3 features (row r = r*10, r*10+1, r*10+2), classes 0, 2, 1, 2. */
    private static Dataset classes() {
        float[] x = new float[12];
        for (int r = 0; r < 4; r++) for (int i = 0; i < 3; i++) x[r * 3 + i] = r * 10 + i;
        return Dataset.classification(x, new int[] {3}, new int[] {0, 2, 1, 2}, 3);
    }

    private static StubModel model(TensorSpec target, int features) {
        return new StubModel(info(features, target, 1), 4, s -> 1f);
    }

    @Test
    void copiesInputRowsInTheGivenOrder() {
        StubModel m = model(target(DType.I32, B), 3);
        new BatchFeeder(m, classes()).feed(new int[] {9, 3, 1}, 1, 2);
        for (int i = 0; i < 3; i++) {
            assertEquals(30 + i, m.f("x", i));
            assertEquals(10 + i, m.f("x", 3 + i));
        }
        assertEquals(2, m.i("y", 0));
        assertEquals(2, m.i("y", 1));
        assertTrue(m.floatGuardsIntact());
    }

    @Test
    void classIndicesAsOneHotRows() {
        StubModel m = model(target(DType.F32, B, 4), 3);
        new BatchFeeder(m, classes()).feedRange(0, 4);
        float[][] expected = {{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
        for (int r = 0; r < 4; r++) for (int j = 0; j < 4; j++) assertEquals(expected[r][j], m.f("y", r * 4 + j));
        assertTrue(m.floatGuardsIntact());
    }

    @Test
    void binaryClassesAsZeroOne() {
        Dataset d = Dataset.classification(new float[] {1, 2, 3}, new int[] {1}, new int[] {1, 0, 1}, 2);
        StubModel m = model(target(DType.F32, B, 1), 1);
        new BatchFeeder(m, d).feedRange(0, 3);
        assertEquals(1f, m.f("y", 0));
        assertEquals(0f, m.f("y", 1));
        assertEquals(1f, m.f("y", 2));
    }

    @Test
    void floatLabelRows() {
        Dataset d = Dataset.regression(new float[] {1, 2}, new int[] {1}, new float[] {0.5f, 1.5f, 2.5f, 3.5f}, 2);
        StubModel m = model(target(DType.F32, B, 2), 1);
        new BatchFeeder(m, d).feed(new int[] {1, 0}, 0, 2);
        assertEquals(2.5f, m.f("y", 0));
        assertEquals(3.5f, m.f("y", 1));
        assertEquals(0.5f, m.f("y", 2));
        assertEquals(2f, m.f("x", 0));
    }

    @Test
    void wholeNumberRowsIntoIntTensors() {
        ModelInfo tokens = new ModelInfo("Tokens", List.of(
                new TensorSpec("t", Role.INPUT, DType.I32, new int[] {B, 2}, null),
                new TensorSpec("next", Role.TARGET, DType.I32, new int[] {B, 2}, null),
                new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null)), "loss", List.of());
        StubModel m = new StubModel(tokens, 2, s -> 0f);
        Dataset d = Dataset.regression(new float[] {4, 5, 6, 7}, new int[] {2}, new float[] {5, 6, 7, 8}, 2);
        new BatchFeeder(m, d).feed(new int[] {1, 0}, 0, 2);
        assertEquals(6, m.i("t", 0));
        assertEquals(5, m.i("t", 3));
        assertEquals(8, m.i("next", 1));
        assertEquals(5, m.i("next", 2));
    }

    @Test
    void mismatchesExplainBothSides() {
        DataException e = assertThrows(DataException.class, () -> new BatchFeeder(model(target(DType.F32, B, 1), 3), classes()));
        assertTrue(e.getMessage().startsWith("the data set: row 2: label 2 is out of range for 2 classes (the model's target y is f32[batch,1]"
                + " and takes 0..1); a target of one column holds a 0/1 label"), e.getMessage());
        e = assertThrows(DataException.class, () -> new BatchFeeder(model(target(DType.F32, B, 2), 3), classes()));
        assertTrue(e.getMessage().endsWith("label 2 is out of range for 2 classes (the model's target y is f32[batch,2] and takes 0..1);"
                + " a one-hot target needs a column per class"), e.getMessage());
        e = assertThrows(DataException.class, () -> new BatchFeeder(model(target(DType.I32, B), 784), classes()));
        assertEquals("the model's input x is f32[batch,784] (784 values per row) but the data set has rows of f32[3] (3 values)",
                e.getMessage());
        Dataset reg = Dataset.regression(new float[] {1}, new int[] {1}, new float[] {2}, 1);
        e = assertThrows(DataException.class, () -> new BatchFeeder(model(target(DType.F32, B, 3), 1), reg));
        assertEquals("the model's target y is f32[batch,3] but the data set has float labels of width 1", e.getMessage());
        Dataset fractional = Dataset.regression(new float[] {1, 2}, new int[] {1}, new float[] {3, 2.5f}, 1);
        e = assertThrows(DataException.class, () -> new BatchFeeder(model(target(DType.I32, B), 1), fractional));
        assertEquals("the model's target y is i32[batch] but the data set's labels are not all whole numbers (row 1 holds 2.5)",
                e.getMessage());
        e = assertThrows(DataException.class, () -> new BatchFeeder(model(target(DType.F32, 4, 1), 3), classes()));
        assertTrue(e.getMessage().contains("its first dimension must be batch"), e.getMessage());
        ModelInfo twoInputs = new ModelInfo("Two", List.of(
                new TensorSpec("a", Role.INPUT, DType.F32, new int[] {B, 3}, null),
                new TensorSpec("b", Role.INPUT, DType.F32, new int[] {B, 3}, null),
                new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null)), "loss", List.of());
        e = assertThrows(DataException.class, () -> new BatchFeeder(new StubModel(twoInputs, 2, s -> 0f), classes()));
        assertTrue(e.getMessage().startsWith("the model has 2 inputs (a: f32[batch,3], b: f32[batch,3])"), e.getMessage());
    }

    // ---- images ----

    /** A model whose input is NCHW images {@code f32[batch, 1, 2, 3]}. */
    private static StubModel imageModel() {
        ModelInfo images = new ModelInfo("Images", List.of(
                new TensorSpec("x", Role.INPUT, DType.F32, new int[] {B, 1, 2, 3}, null),
                new TensorSpec("y", Role.TARGET, DType.I32, new int[] {B}, null),
                new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null)), "loss", List.of());
        return new StubModel(images, 2, s -> 0f);
    }

    @Test
    void idxImageRowsFeedAnNchwInputUnchanged() {
        float[] x = new float[12];
        for (int k = 0; k < x.length; k++) x[k] = k;
        Dataset d = Dataset.classification(x, new int[] {2, 3}, new int[] {1, 0}, 2); // two 2x3 images, as IdxReader gives them
        StubModel m = imageModel();
        new BatchFeeder(m, d).feed(new int[] {1, 0}, 0, 2);
        for (int k = 0; k < 6; k++) {
            assertEquals(6 + k, m.f("x", k)); // image 1 first: [1, 2, 3] is the same memory as a row of [2, 3]
            assertEquals(k, m.f("x", 6 + k));
        }
        assertEquals(0, m.i("y", 0));
    }

    @Test
    void imagesOfAnotherShapeAreRefused() {
        Dataset d = Dataset.classification(new float[12], new int[] {3, 2}, new int[] {1, 0}, 2);
        DataException e = assertThrows(DataException.class, () -> new BatchFeeder(imageModel(), d));
        assertTrue(e.getMessage().contains("f32[batch,1,2,3]") && e.getMessage().contains("images of f32[3,2]"), e.getMessage());
    }
}
