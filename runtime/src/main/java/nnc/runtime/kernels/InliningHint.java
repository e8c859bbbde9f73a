package nnc.runtime.kernels;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import javax.management.ObjectName;

/**
 * Asks HotSpot's JIT to inline {@link VectorMath} into the methods of generated trainers (a compiler
 * directive per trainer class, added through the {@code DiagnosticCommand} MBean, as {@code jcmd PID
 * Compiler.directives_add} would). Opt-in: a host application's JVM is left alone unless it runs with
 * {@code -D}{@value #PROPERTY}{@code =directive} (read when this class loads, with the first trainer)
 * or calls {@link #enable()} (the {@code nnc} command line does).
 * <p>
 * Why: a vector passed to or returned from a method that is not inlined is an object, and the
 * Vector API then runs that method's operations in its allocating Java fallback. {@code
 * VectorMath.exp} is 231 bytecodes, past {@code MaxInlineSize}, so C2 inlines it only from a call
 * site its profile calls hot — and a kernel compiled during the warm-up, when its vector loops ran
 * on one call in 16 ({@link VectorWarmup#PROBE_MASK}), may see its calls to it as cold. That kernel
 * then allocated on every call for the rest of the run (measured: bigram 393 KB, char_rnn 1 MB per
 * train step, in some runs only). Results do not depend on inlining; without the directive the code
 * is only slower. {@code -XX:CompileCommand=inline,nnc.runtime.kernels.VectorMath::*} on the command
 * line has the same effect without the MBean server.
 */
public final class InliningHint {
    /** The system property that opts in: {@code -Dnnc.inlining=directive}. */
    public static final String PROPERTY = "nnc.inlining";

    /** Directives added at most: HotSpot's stack holds 50 ({@code CompilerDirectivesLimit}), shared with the application. */
    static final int MAX_CLASSES = 16;

    private static boolean enabled = "directive".equals(System.getProperty(PROPERTY));
    private static final Set<String> covered = new HashSet<>();
    /** The last directive's installer: each waits for the one before (the first starts the MBean server). */
    private static Thread installer;

    /** Guards {@link #pending} and {@link #exiting}: the directive file's life against the JVM's exit. */
    private static final Object FILE_LOCK = new Object();
    /** The directive file being added, if any: the exit hook deletes it. */
    private static Path pending;
    /** Set by the exit hook: no directive file is created after it ran. */
    private static boolean exiting;
    private static boolean exitHookAdded;

    private InliningHint() {}

    /** Opts in for this JVM: trainer classes loaded from now on get the directive. */
    public static synchronized void enable() { enabled = true; }

    /** Whether this JVM opted in. */
    public static synchronized boolean enabled() { return enabled; }

    /**
     * When opted in, starts adding the directive for generated class {@code c} (and its nested
     * classes) on a daemon thread, once per class name: starting the platform MBean server takes
     * about 0.2 s, which a trainer's construction, data loading and first (scalar) steps overlap.
     * Called by every generated trainer's constructor; does nothing unless opted in.
     */
    public static synchronized void cover(Class<?> c) {
        if (!enabled || covered.size() >= MAX_CLASSES || !addExitHook() || !covered.add(c.getName())) return;
        String directive = directive(c.getName().replace('.', '/'));
        Thread before = installer;
        installer = new Thread(() -> {
            join(before, 0);
            install(directive);
        }, "nnc-inlining-hint");
        installer.setDaemon(true);
        installer.start();
    }

    /**
     * Once per JVM, a shutdown hook that deletes the directive file being added and stops new ones:
     * an installer is a daemon thread, which the JVM may halt between creating its file and
     * deleting it (a short run), and {@code File.deleteOnExit} cannot be registered once exit has
     * begun. Returns false when the JVM is already exiting.
     */
    private static boolean addExitHook() {
        if (exitHookAdded) return true;
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(InliningHint::onExit, "nnc-inlining-hint-exit"));
        } catch (IllegalStateException exiting) {
            return false;
        }
        exitHookAdded = true;
        return true;
    }

    private static void onExit() {
        synchronized (FILE_LOCK) {
            exiting = true;
            deleteQuietly(pending);
            pending = null;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (Exception e) {
            // nothing left to do at exit
        }
    }

    /** The directive for the class of internal name {@code name}: its methods and its nested classes' inline {@link VectorMath}. */
    static String directive(String name) {
        return "[{ match: [\"" + name + ".*\", \"" + name + "$*.*\"], inline: \"+nnc/runtime/kernels/VectorMath.*\" }]";
    }

    /**
     * Waits (at most {@link #AWAIT_MILLIS} ms) until the directives asked for so far are in: before any
     * vector code can be compiled without them. A kernel C2 compiles before its class's directive is in
     * keeps its vector functions out of line, boxing every vector on every step, for the rest of the run;
     * starting the MBean server takes about 0.2 s, but far longer on a loaded machine, where the
     * former 2-second bound may have run out (a warm tiny_transformer step allocated 512 kB, with
     * {@code VectorMath.log} boxed, in one of six runs on a busy machine; none of 16 on a quiet one):
     * waiting longer delays only the first vector loop, and only by the time the directive takes.
     */
    static void await() {
        Thread t;
        synchronized (InliningHint.class) { t = installer; }
        join(t, AWAIT_MILLIS);
    }

    /** The longest {@link #await} waits for the directives. */
    static final long AWAIT_MILLIS = 10_000;

    private static void join(Thread t, long millis) {
        if (t == null) return;
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds {@code directive}; returns whether the JVM took it. */
    static boolean install(String directive) {
        Path file;
        synchronized (FILE_LOCK) {
            if (exiting) return false;
            try {
                file = Files.createTempFile("nnc-inline", ".json"); // a fresh name (O_EXCL): never another's file or link
            } catch (Exception e) {
                return false;
            }
            pending = file; // from here on the exit hook deletes it if the JVM exits first
        }
        try {
            // WRITE without CREATE: if the exit hook deleted the file meanwhile, this must not create it again.
            Files.writeString(file, directive, StandardOpenOption.WRITE);
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerDirectivesAdd", new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        } finally {
            synchronized (FILE_LOCK) {
                deleteQuietly(file);
                if (pending == file) pending = null;
            }
        }
    }
}
