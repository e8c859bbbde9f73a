package nnc.cli;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The cold-start times {@code nnc bench --json} reports, in milliseconds: from the JVM's start to
 * the command's ({@code startup_ms}), from the command's start (reading the {@code .nn} file) to
 * a loaded trainer, its classes generated, loaded and its parameters initialised ({@code compile_ms}),
 * and the warm-up until the step rate stops rising, i.e. until the JIT has compiled the vector
 * kernels ({@code warm_ms}); {@code loaded_ms} and {@code warmed_ms} are the same two moments
 * counted from the JVM's start. {@code compile_cpu_ms} is the CPU time every thread of the JVM
 * (the JIT's and the collector's too) spent during the compile: on a busy machine a steadier figure
 * than the wall-clock time, and on an idle one pinned to one CPU about the same.
 */
final class ColdStartClock {
    private final long startupMillis;
    private final long startNanos;
    private final long startCpuNanos;
    private long loadedNanos;
    private long loadedCpuNanos;
    private long warmStartNanos;
    private long warmedNanos;

    private ColdStartClock(long startupMillis, long startNanos, long startCpuNanos) {
        this.startupMillis = startupMillis;
        this.startNanos = startNanos;
        this.startCpuNanos = startCpuNanos;
    }

    /** Starts the clock: now is the command's start. */
    static ColdStartClock start() {
        long now = System.nanoTime();
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime(); // loads the management classes: counted neither way
        long startupMillis = uptime - (System.nanoTime() - now) / 1_000_000;
        long cpu = processCpuNanos(); // loads the operating system's bean: counted neither way either
        return new ColdStartClock(startupMillis, System.nanoTime(), cpu);
    }

    /** The trainer is loaded. */
    void loaded() {
        loadedNanos = System.nanoTime();
        loadedCpuNanos = processCpuNanos();
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /** The warm-up begins (after the batches are ready). */
    void warming() { warmStartNanos = System.nanoTime(); }

    /** The warm-up has ended. */
    void warmed() { warmedNanos = System.nanoTime(); }

    double startupMs() { return startupMillis; }

    double compileMs() { return (loadedNanos - startNanos) / 1e6; }

    /** The JVM's CPU time during the compile, or -1 where the platform does not tell it. */
    double compileCpuMs() { return startCpuNanos < 0 || loadedCpuNanos < 0 ? -1 : (loadedCpuNanos - startCpuNanos) / 1e6; }

    double warmMs() { return (warmedNanos - warmStartNanos) / 1e6; }

    double loadedMs() { return startupMillis + compileMs(); }

    double warmedMs() { return startupMillis + (warmedNanos - startNanos) / 1e6; }
}
