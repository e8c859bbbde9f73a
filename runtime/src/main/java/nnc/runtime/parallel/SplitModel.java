package nnc.runtime.parallel;

import java.util.ArrayList;
import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/**
 * A {@link DataParallelModel} over a model with the split entries ({@link SplitEntries}): the
 * exchange vector is the gradient state tensors ({@code dp.grad.NAME}) in parameter order, then the
 * new data-dependent state ({@code dp.next.NAME}) in the model's state order, then the loss.
 * Copying in and out allocates nothing.
 */
public final class SplitModel implements DataParallelModel {
    private final SplitEntries model;
    private final float[][] arrays;
    private final int[] offsets;
    private final int[] lengths;
    private final String[] names;
    private final int length;

    public SplitModel(SplitEntries model) {
        this.model = model;
        List<String> order = new ArrayList<>();
        for (TensorSpec t : model.info().tensors())
            if (t.role() == Role.PARAM) order.add(SplitEntries.GRADIENT_PREFIX + t.name());
        for (TensorSpec t : model.info().tensors())
            if (t.role() == Role.STATE && t.name().startsWith(SplitEntries.NEXT_PREFIX)) order.add(t.name());
        names = order.toArray(String[]::new);
        arrays = new float[names.length][];
        offsets = new int[names.length];
        lengths = new int[names.length];
        int total = 1;
        for (int k = 0; k < names.length; k++) {
            TensorSpec spec = spec(names[k]);
            arrays[k] = model.floats(names[k]);
            offsets[k] = model.offset(names[k]);
            lengths[k] = spec.elementCount(model.maxBatch());
            total += lengths[k];
        }
        length = total;
    }

    private TensorSpec spec(String name) {
        for (TensorSpec t : model.info().tensors()) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("model " + model.info().name() + " has no exchange tensor " + name
                + ": it was not compiled for data-parallel training");
    }

    @Override public CompiledModel model() { return model; }

    @Override public int exchangeLength() { return length; }

    /** The exchange tensors in layout order ({@code dp.grad.NAME} …, {@code dp.next.NAME} …); the loss follows them. */
    public List<String> layout() { return List.of(names); }

    @Override public void gradientStep(int batch, float weight, float[] exchange, int offset) {
        checkRange(exchange, offset);
        model.gradientEntry(batch);
        int o = offset;
        for (int k = 0; k < arrays.length; k++) {
            float[] a = arrays[k];
            int from = offsets[k];
            for (int i = 0; i < lengths[k]; i++) exchange[o++] = weight * a[from + i];
        }
        exchange[o] = weight * model.loss();
    }

    @Override public void applyStep(float[] exchange, int offset) {
        checkRange(exchange, offset);
        int o = offset;
        for (int k = 0; k < arrays.length; k++) {
            System.arraycopy(exchange, o, arrays[k], offsets[k], lengths[k]);
            o += lengths[k];
        }
        String loss = model.info().lossName();
        model.floats(loss)[model.offset(loss)] = exchange[o];
        model.applyEntry(1);
    }

    private void checkRange(float[] exchange, int offset) {
        if (offset < 0 || offset > exchange.length - length)
            throw new IllegalArgumentException("exchange of " + exchange.length + " floats has no room for " + length + " at offset " + offset);
    }
}
