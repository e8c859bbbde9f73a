package nnc.cli;

import java.lang.management.ManagementFactory;

/**
 * The cold-start times {@code nnc bench --json} reports, in milliseconds: from the JVM's start to
 * the command's ({@code startup_ms}), from the command's start (reading the {@code .nn} file) to
 * a loaded trainer, its classes generated, loaded and its parameters initialised ({@code compile_ms}),
 * and the warm-up until the step rate stops rising, i.e. until the JIT has compiled the vector
 * kernels ({@code warm_ms}); {@code loaded_ms} and {@code warmed_ms} are the same two moments
 * counted from the JVM's start.
 */
final class ColdStartClock {
    private final long startupMillis;
    private final long startNanos;
    private long loadedNanos;
    private long warmStartNanos;
    private long warmedNanos;

    private ColdStartClock(long startupMillis, long startNanos) {
        this.startupMillis = startupMillis;
        this.startNanos = startNanos;
    }

    /** Starts the clock: now is the command's start. */
    static ColdStartClock start() {
        long now = System.nanoTime();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime(); // loads the management classes: counted neither way
        return new ColdStartClock(uptime - (System.nanoTime() - now) / 1_000_000, System.nanoTime());
    }

    /** The trainer is loaded. */
    void loaded() { loadedNanos = System.nanoTime(); }

    /** The warm-up begins (after the batches are ready). */
    void warming() { warmStartNanos = System.nanoTime(); }

    /** The warm-up has ended. */
    void warmed() { warmedNanos = System.nanoTime(); }

    double startupMs() { return startupMillis; }

    double compileMs() { return (loadedNanos - startNanos) / 1e6; }

    double warmMs() { return (warmedNanos - warmStartNanos) / 1e6; }

    double loadedMs() { return startupMillis + compileMs(); }

    double warmedMs() { return startupMillis + (warmedNanos - startNanos) / 1e6; }
}
