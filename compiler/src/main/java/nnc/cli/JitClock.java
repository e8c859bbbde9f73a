package nnc.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JIT compilers' accumulated compile time ({@link CompilationMXBean}), read between warm-up
 * rounds: while it still grows, the JIT is still compiling (the generated kernels, the vector API's
 * intrinsics), whatever the step rate says. Reads 0 throughout on a JVM that cannot report it.
 */
final class JitClock {
    private final CompilationMXBean bean;
    private long last;

    private JitClock(CompilationMXBean bean) {
        this.bean = bean;
        this.last = total();
    }

    static JitClock start() {
        CompilationMXBean b = ManagementFactory.getCompilationMXBean();
        return new JitClock(b != null && b.isCompilationTimeMonitoringSupported() ? b : null);
    }

    /** Milliseconds the JIT spent compiling since the previous call (or the start). */
    long compiledMillisSinceLast() {
        long now = total();
        long d = now - last;
        last = now;
        return d;
    }

    private long total() { return bean == null ? 0 : bean.getTotalCompilationTime(); }
}
