package nnc.driver;

import java.util.Locale;

/** The stages whose output {@code nnc ir --after STAGE} prints, in pipeline order. */
public enum Stage {
    /** Forward pass and loss as Graph IR. */
    LOWER,
    /** Plus the backward pass: one gradient per parameter. */
    AUTODIFF,
    /** Plus the optimiser update: the whole train step. */
    OPTIMIZER,
    /** Kernel IR: fused loops, buffers, library calls. */
    SCHEDULE;

    public String text() { return name().toLowerCase(Locale.ROOT); }

    public static Stage parse(String s) {
        for (Stage st : values()) if (st.text().equals(s.toLowerCase(Locale.ROOT))) return st;
        throw new IllegalArgumentException("unknown stage '" + s + "' (stages: lower, autodiff, optimizer, schedule)");
    }
}
