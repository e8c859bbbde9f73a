package nnc.runtime;

import java.util.Locale;

/** Element types of nnc tensors. */
public enum DType {
    F32, I32;

    public String text() { return name().toLowerCase(Locale.ROOT); }
}
