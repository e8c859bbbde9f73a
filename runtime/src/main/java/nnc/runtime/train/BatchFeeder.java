package nnc.runtime.train;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.DataException;
import nnc.runtime.data.Dataset;

/**
 * Copies rows of a {@link Dataset} into a model's single INPUT tensor and its single TARGET tensor
 * (if it has one), adapting the labels to the target's type:
 * <ul>
 *   <li>{@code i32[batch]} ← class indices;</li>
 *   <li>{@code i32[batch, ...]} of W values per row ← float label rows of width W (cast to int);</li>
 *   <li>{@code f32[batch, 1]} ← class index 0/1 as 0f/1f (at most 2 classes), or label rows of width 1;</li>
 *   <li>{@code f32[batch, C]} ← one-hot class index (C ≥ number of classes), or label rows of width C.</li>
 * </ul>
 * Labels must be in range for the model: below the class count the loss scores an {@code i32}
 * target with ({@link nnc.runtime.ModelInfo#targetClasses()}), below 2 for one 0/1 column, below C
 * for a one-hot target; the first label out of range is named with its file and row.
 * An {@code i32} input receives the features cast to int (token ids). Everything is checked once,
 * when the feeder is made; a mismatch is a {@link DataException} that shows both sides. Feeding a
 * batch allocates nothing.
 */
public final class BatchFeeder {
    private enum TargetMode { NONE, CLASS_INDEX, INT_ROWS, BINARY, ONE_HOT, FLOAT_ROWS }

    private final CompiledModel model;
    private final Dataset data;
    private final TensorSpec input;
    private final TensorSpec target;
    private final TargetMode mode;
    private final int featureSize;
    private final int targetWidth;
    // The model's arrays and offsets, looked up once per batch rather than once per row.
    private float[] inputF;
    private int[] inputI;
    private int inputOff;
    private float[] targetF;
    private int[] targetI;
    private int targetOff;

    /** Checks that {@code data} fits {@code model}'s input and target. */
    public BatchFeeder(CompiledModel model, Dataset data) {
        this.model = model;
        this.data = data;
        this.input = single(model, Role.INPUT, true);
        this.target = single(model, Role.TARGET, false);
        this.featureSize = data.featureSize();
        requireBatchFirst(input);
        if (input.rowSize() != featureSize) {
            throw new DataException("the model's input " + input.name() + " is " + input.typeText() + " (" + input.rowSize()
                    + " values per row) but the data set has rows of f32" + shape(data.featureShape())
                    + " (" + featureSize + " values)");
        }
        requireSameImageShape(input, data.featureShape());
        if (input.dtype() == DType.I32) {
            requireWhole(data.x(), featureSize, "the model's input " + input.name() + " is " + input.typeText()
                    + " but the data set's features are not all whole numbers");
        }
        if (target == null) {
            this.mode = TargetMode.NONE;
            this.targetWidth = 0;
        } else {
            requireBatchFirst(target);
            this.targetWidth = target.rowSize();
            this.mode = targetMode();
        }
    }

    /** The model's input tensor. */
    public TensorSpec input() { return input; }

    /** The model's target tensor, or null if it has none. */
    public TensorSpec target() { return target; }

    /** Writes rows {@code order[from .. from+count)} of the data set as batch rows 0 .. count-1. */
    public void feed(int[] order, int from, int count) {
        prepare(count);
        for (int r = 0; r < count; r++) copyRow(order[from + r], r);
    }

    /** Writes rows {@code first .. first+count-1} of the data set as batch rows 0 .. count-1. */
    public void feedRange(int first, int count) {
        prepare(count);
        for (int r = 0; r < count; r++) copyRow(first + r, r);
    }

    private void prepare(int count) {
        if (count < 1 || count > model.maxBatch())
            throw new IllegalArgumentException("batch of " + count + " rows outside 1.." + model.maxBatch());
        boolean f32 = input.dtype() == DType.F32;
        inputF = f32 ? model.floats(input.name()) : null;
        inputI = f32 ? null : model.ints(input.name());
        inputOff = model.offset(input.name());
        if (target != null) {
            f32 = target.dtype() == DType.F32;
            targetF = f32 ? model.floats(target.name()) : null;
            targetI = f32 ? null : model.ints(target.name());
            targetOff = model.offset(target.name());
        }
    }

    private void copyRow(int row, int slot) {
        float[] x = data.x();
        int src = row * featureSize;
        int dst = inputOff + slot * featureSize;
        if (inputF != null) {
            System.arraycopy(x, src, inputF, dst, featureSize);
        } else {
            for (int i = 0; i < featureSize; i++) inputI[dst + i] = (int) x[src + i];
        }
        int t = targetOff + slot * targetWidth;
        switch (mode) {
            case NONE -> { }
            case CLASS_INDEX -> targetI[t] = data.classIndex()[row];
            case INT_ROWS -> {
                float[] labels = data.labelRows();
                for (int i = 0; i < targetWidth; i++) targetI[t + i] = (int) labels[row * targetWidth + i];
            }
            case BINARY -> targetF[t] = data.classIndex()[row];
            case ONE_HOT -> {
                Arrays.fill(targetF, t, t + targetWidth, 0f);
                targetF[t + data.classIndex()[row]] = 1f;
            }
            case FLOAT_ROWS -> System.arraycopy(data.labelRows(), row * targetWidth, targetF, t, targetWidth);
        }
    }

    private TargetMode targetMode() {
        String what = "the model's target " + target.name() + " is " + target.typeText();
        Integer modelClasses = model.info().targetClasses().get(target.name());
        if (data.hasClassIndex()) {
            int classes = data.numClasses();
            String has = " but the data set has " + classes + (classes == 1 ? " class" : " classes");
            if (target.dtype() == DType.I32) {
                if (targetWidth != 1) throw new DataException(what + has + " (one class index per row)");
                if (modelClasses != null) requireClasses(modelClasses, "");
                return TargetMode.CLASS_INDEX;
            }
            if (targetWidth == 1) {
                if (classes > 2) requireClasses(2, "; a target of one column holds a 0/1 label,"
                        + " use i32[batch] (class indices) or f32[batch," + classes + "] (one-hot) instead");
                return TargetMode.BINARY;
            }
            if (targetWidth < classes) requireClasses(targetWidth, "; a one-hot target needs a column per class");
            return TargetMode.ONE_HOT;
        }
        String has = " but the data set has float labels of width " + data.labelWidth();
        if (targetWidth != data.labelWidth()) throw new DataException(what + has);
        if (target.dtype() == DType.F32) return TargetMode.FLOAT_ROWS;
        requireWhole(data.labelRows(), targetWidth, what + " but the data set's labels are not all whole numbers");
        if (modelClasses != null) requireLabelsBelow(data.labelRows(), targetWidth, modelClasses);
        return TargetMode.INT_ROWS;
    }

    /** Throws, naming the first row, unless every class index is below {@code classes}. */
    private void requireClasses(int classes, String why) {
        int[] index = data.classIndex();
        for (int r = 0; r < index.length; r++)
            if (index[r] >= classes) throw outOfRange(r, index[r], classes, why);
    }

    /** Throws, naming the first row, unless every label (whole numbers, {@code width} per row) is in {@code 0 .. classes-1}. */
    private void requireLabelsBelow(float[] labels, int width, int classes) {
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= classes) throw outOfRange(i / width, (long) labels[i], classes, "");
    }

    /** {@code FILE: row N: label 9 is out of range for 3 classes}, rows counted from 1. */
    private DataException outOfRange(int row, long label, int classes, String why) {
        String origin = data.labelOrigin() != null ? data.labelOrigin() : "the data set";
        return new DataException(origin + ": row " + (row + 1) + ": label " + label + " is out of range for " + classes
                + (classes == 1 ? " class" : " classes") + " (the model's target " + target.name() + " is " + target.typeText()
                + " and takes 0.." + (classes - 1) + ")" + why);
    }

    /** Throws unless every value is a whole number in int range; the message ends with the first offender. */
    /**
     * Images: a row of an IDX file {@code [28, 28]} is the same memory as an NCHW image
     * {@code [1, 28, 28]}, so a model input of rank ≥ 3 takes data rows of rank ≥ 2 when both have
     * the same sizes once axes of size 1 are dropped; {@code [1, 14, 56]} does not take {@code [28, 28]}.
     */
    static void requireSameImageShape(TensorSpec input, int[] featureShape) {
        if (input.dims().length < 3 || featureShape.length < 2) return;
        int[] want = Arrays.stream(input.dims()).skip(1).filter(d -> d != 1).toArray();
        int[] have = Arrays.stream(featureShape).filter(d -> d != 1).toArray();
        if (!Arrays.equals(want, have))
            throw new DataException("the model's input " + input.name() + " is " + input.typeText() + " but the data set's rows are images of f32"
                    + shape(featureShape));
    }

    private static void requireWhole(float[] values, int rowSize, String message) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new DataException(message + " (row " + i / rowSize + " holds " + v + ")");
            }
        }
    }

    private static TensorSpec single(CompiledModel model, Role role, boolean required) {
        List<TensorSpec> all = model.info().withRole(role);
        String kind = role.name().toLowerCase(Locale.ROOT);
        if (all.size() > 1) {
            throw new DataException("the model has " + all.size() + " " + kind + "s ("
                    + all.stream().map(t -> t.name() + ": " + t.typeText()).collect(Collectors.joining(", "))
                    + "); training from a data set feeds exactly one");
        }
        if (all.isEmpty() && required) throw new DataException("the model has no " + kind + " to feed the data set into");
        return all.isEmpty() ? null : all.get(0);
    }

    private static void requireBatchFirst(TensorSpec t) {
        if (t.rank() == 0 || t.dim(0) != TensorSpec.BATCH) {
            throw new DataException("the model's " + t.role().name().toLowerCase(Locale.ROOT) + " " + t.name()
                    + " is " + t.typeText() + "; its first dimension must be batch to be fed from a data set");
        }
        for (int i = 1; i < t.rank(); i++) {
            if (t.dim(i) == TensorSpec.BATCH) throw new DataException("the model's " + t.name() + " is " + t.typeText()
                    + "; only its first dimension may be batch");
        }
    }

    private static String shape(int[] dims) {
        return Arrays.toString(dims).replace(" ", "");
    }
}
