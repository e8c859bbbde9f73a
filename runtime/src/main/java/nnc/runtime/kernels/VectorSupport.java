package nnc.runtime.kernels;

/**
 * Whether this JVM runs nnc's vector kernels: true when the incubator module
 * {@code jdk.incubator.vector} is on the module graph ({@code --add-modules jdk.incubator.vector}),
 * decided once when this class loads. Without it, the runtime's kernels (GEMM, convolution, pooling)
 * and generated {@code --simd on} trainers run their scalar twins, which give the same bits, only
 * slower; the classes holding vector code are then never loaded, so neither the verifier nor the
 * linker needs the module. The first use prints one line to standard error saying how to enable it.
 * <p>
 * System property {@value #PROPERTY}{@code =off} chooses the scalar twins even when the module is
 * present (the tests compare the two in one JVM this way).
 */
public final class VectorSupport {
    /** The system property that turns the vector kernels off: {@code -Dnnc.vectors=off}. */
    public static final String PROPERTY = "nnc.vectors";

    /** The module the vector kernels need. */
    public static final String MODULE = "jdk.incubator.vector";

    /** Whether the vector kernels run (constant for the JVM's life, so the JIT folds every test of it). */
    public static final boolean AVAILABLE = detect();

    /** The one-line notice printed when the module is absent. */
    static final String NOTICE = "nnc: the Vector API is not enabled, so nnc runs its scalar loops (same results, slower);"
            + " enable it with --add-modules " + MODULE + " (java, javac) or JDK_JAVA_OPTIONS=--add-modules=" + MODULE;

    private VectorSupport() {}

    private static boolean detect() {
        if ("off".equals(System.getProperty(PROPERTY))) return false;
        if (moduleReadable()) return true;
        System.err.println(NOTICE);
        return false;
    }

    /** Whether this class's loader can load the Vector API (it cannot when the module is not resolved). */
    static boolean moduleReadable() {
        try {
            Class.forName(MODULE + ".FloatVector", false, VectorSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
