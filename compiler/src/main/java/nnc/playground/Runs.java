package nnc.playground;

/** The training runs of a server (placeholder until runs land). */
final class Runs {
    void stopAll() {}
}
