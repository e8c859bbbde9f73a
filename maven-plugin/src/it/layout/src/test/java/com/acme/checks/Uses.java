package com.acme.checks;

/** Compiles only if generate-test gave com.acme.checks.Second from src/test/nn. */
final class Uses {
    static Class<Second> model() { return Second.class; }
}
