package nnc.driver;

import java.util.Locale;

/** The stages whose output {@code nnc ir --after STAGE} prints, in pipeline order. */
public enum Stage {
    /** Forward pass and loss as Graph IR. */
    LOWER,
    /** Plus the backward pass: one gradient per parameter. */
    AUTODIFF,
    /** Plus the optimiser update: the whole train step (DESIGN.md's "train" stage). */
    TRAIN,
    /** After the whole middle-end pass pipeline ({@code nnc.passes.PassPipeline}); single passes are named by pass. */
    PASSES,
    /** Kernel IR: fused loops, buffers, library calls. */
    SCHEDULE;

    public String text() { return name().toLowerCase(Locale.ROOT); }

    public static Stage parse(String s) {
        String key = s.toLowerCase(Locale.ROOT);
        if (key.equals("optimizer")) return TRAIN;
        for (Stage st : values()) if (st.text().equals(key)) return st;
        throw new IllegalArgumentException("unknown stage '" + s + "' (stages: lower, autodiff, train, passes, schedule, or a pass: " + String.join(", ", nnc.passes.PassPipeline.standard().names()) + ")");
    }
}
