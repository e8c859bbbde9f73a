package nnc.runtime;

import java.util.List;

/**
 * The check a model makes before it allocates its arrays (parameters, optimiser state, inputs,
 * outputs and the planned buffers, at its largest batch): each must fit one Java array, and
 * together they must fit {@link Limits#maxMemory()}. The message names the model, the batch and
 * the largest array.
 */
public final class ModelMemory {
    /** One array a model allocates: its name, its type for people ({@code f32[batch,3]}), its elements at the batch. */
    public record Array(String name, String type, long values) {
        /** The array {@code spec} needs at {@code batch}. */
        public static Array of(TensorSpec spec, int batch) { return new Array(spec.name(), spec.typeText(), spec.elements(batch)); }
    }

    private ModelMemory() {}

    /** Throws a {@link LimitException} unless {@code arrays} (4 bytes per element) can be allocated. */
    public static void check(String model, int batch, List<Array> arrays) {
        Array largest = null;
        long total = 0;
        for (Array a : arrays) {
            if (largest == null || a.values() > largest.values()) largest = a;
            total = total > Long.MAX_VALUE / 8 || a.values() > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : total + 4 * a.values();
        }
        if (largest == null) return;
        if (largest.values() > Limits.MAX_ARRAY_LENGTH) {
            long perRow = largest.values() / Math.max(1, batch);
            String fits = largest.type().contains("batch") && perRow > 0 && perRow <= Limits.MAX_ARRAY_LENGTH
                    ? "; a batch of at most " + Limits.count(Limits.MAX_ARRAY_LENGTH / perRow) + " fits" : "";
            throw new LimitException("model " + model + ": " + largest.name() + " " + largest.type() + " holds "
                    + Limits.count(largest.values()) + " values at batch " + Limits.count(batch)
                    + ", more than one Java array holds (" + Limits.count(Limits.MAX_ARRAY_LENGTH) + ")" + fits);
        }
        if (total > Limits.memory())
            throw new LimitException("model " + model + " needs " + Limits.bytes(total) + " at batch " + Limits.count(batch)
                    + " for its tensors and buffers (the largest: " + largest.name() + " " + largest.type() + ", "
                    + Limits.bytes(4 * largest.values()) + "), " + Limits.overMemory());
    }
}
