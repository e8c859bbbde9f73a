package nnc.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Asks HotSpot's JIT to inline {@link VectorMath} into every method that calls it (a compiler
 * directive, added once per JVM through the {@code DiagnosticCommand} MBean, as {@code jcmd PID
 * Compiler.directives_add} would).
 * <p>
 * Why: a vector passed to or returned from a method that is not inlined is an object, and the
 * Vector API then runs that method's operations in its allocating Java fallback. {@code
 * VectorMath.exp} is 231 bytecodes, past {@code MaxInlineSize}, so C2 inlines it only from a call
 * site its profile calls hot — and a kernel compiled during the warm-up, when its vector loops ran
 * on one call in 16 ({@link VectorWarmup#PROBE_MASK}), may see its calls to it as cold. That kernel
 * then allocated on every call for the rest of the run (measured: bigram 393 KB, char_rnn 1 MB per
 * train step, in some runs only). Results do not depend on inlining; without the directive (a JVM
 * without {@code java.management}, or one that refuses it) the code is only slower.
 */
public final class InliningHint {
    private static final String DIRECTIVE = "[{ match: \"*.*\", inline: \"+nnc/runtime/kernels/VectorMath.*\" }]";

    private InliningHint() {}

    private static Thread installer;

    /**
     * Starts adding the directive on a daemon thread, once per JVM: starting the platform MBean
     * server takes about 0.2 s, which a trainer's construction, data loading and first (scalar)
     * steps overlap. Called when a generated trainer class loads.
     */
    public static synchronized void start() {
        if (installer != null) return;
        installer = new Thread(InliningHint::install, "nnc-inlining-hint");
        installer.setDaemon(true);
        installer.start();
    }

    /** Waits (at most 2 s) until the directive is in: before any vector code can be compiled without it. */
    static void await() {
        Thread t;
        synchronized (InliningHint.class) {
            start();
            t = installer;
        }
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds the directive; returns whether the JVM took it. */
    static boolean install() {
        try {
            Path file = Files.createTempFile("nnc-inline", ".json"); // a fresh name (O_EXCL): never another's file or link
            try {
                // The JVM may exit while this daemon thread is still here (a short run), which skips the finally
                // below: delete the file at exit too, so that no run leaves one behind.
                file.toFile().deleteOnExit();
                Files.writeString(file, DIRECTIVE);
                ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
                return true;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            return false;
        }
    }
}
