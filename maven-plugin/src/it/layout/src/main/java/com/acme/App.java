package com.acme;

/** Compiles only if src/main/nn/com/acme/model.nn gave com.acme.Scale. */
public final class App {
    public static Class<Scale> model() { return Scale.class; }
}
