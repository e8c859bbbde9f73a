package nnc.driver;

import java.util.Locale;
import nnc.passes.PassPipeline;

/**
 * The stages whose output {@code nnc ir --after STAGE} prints, in pipeline order. Single passes,
 * of the Graph IR ({@link PassPipeline}) or of the Kernel IR ({@link KernelPipeline}), are named by
 * pass.
 */
public enum Stage {
    /** Forward pass and loss as Graph IR. */
    LOWER,
    /** Plus the backward pass: one gradient per parameter. */
    AUTODIFF,
    /** Plus the optimiser update: the whole train step. */
    TRAIN,
    /** After the whole Graph IR pass pipeline ({@link PassPipeline}). */
    PASSES,
    /** Kernel IR as scheduled: fused loops, buffers, library calls, before the Kernel IR passes. */
    SCHEDULE,
    /** After the whole Kernel IR pass pipeline ({@link KernelPipeline}): what the back ends get. */
    KERNEL_PASSES;

    public String text() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static Stage parse(String s) {
        String key = s.toLowerCase(Locale.ROOT);
        if (key.equals("optimizer")) return TRAIN;
        for (Stage st : values()) if (st.text().equals(key)) return st;
        throw new IllegalArgumentException("unknown stage '" + s + "' (stages: lower, autodiff, train, passes, schedule, kernel-passes; a Graph IR pass: "
                + String.join(", ", PassPipeline.standard().names()) + "; a Kernel IR pass: " + String.join(", ", KernelPipeline.standard().names()) + ")");
    }
}
