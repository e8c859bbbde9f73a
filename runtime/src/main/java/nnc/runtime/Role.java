package nnc.runtime;

/** What a named tensor of a compiled model is for. */
public enum Role {
    /** Fed by the caller before each step. */
    INPUT,
    /** Fed by the caller before a train or evaluate step. */
    TARGET,
    /** Trained parameter, initialised from its {@link Init}. */
    PARAM,
    /** Optimiser state (moments, step counter); starts at zero. */
    STATE,
    /** Written by the model: declared outputs and the loss. */
    OUTPUT
}
