package nnc.runtime;

/** Element types of nnc tensors. */
public enum DType {
    F32, I32;

    public String text() { return name().toLowerCase(java.util.Locale.ROOT); }
}
