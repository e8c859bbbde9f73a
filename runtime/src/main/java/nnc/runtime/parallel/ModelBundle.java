package nnc.runtime.parallel;

import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A data-parallel trainer as something to ship: the generated class's name, its class files (the
 * class and its nested classes, by internal name {@code nnc/generated/NAME}), the rows per replica
 * and whether its loops are vectorised. {@link #instantiate()} needs only nnc-runtime: executors
 * load the trainer from the bytes, never compile. The class is defined once per bundle object
 * (in a {@link BundleClassLoader} whose parent is the runtime's loader) and each call makes a fresh
 * replica of it.
 */
public final class ModelBundle implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final String className;
    private final LinkedHashMap<String, byte[]> classFiles;
    private final int maxBatch;
    private final boolean simd;
    private transient volatile Class<?> loaded;

    /**
     * @param className  the binary name of the trainer class ({@code nnc.generated.NAME})
     * @param classFiles its class files by internal name (or binary name)
     */
    public ModelBundle(String className, Map<String, byte[]> classFiles, int maxBatch, boolean simd) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        this.className = className;
        this.classFiles = new LinkedHashMap<>();
        classFiles.forEach((name, bytes) -> this.classFiles.put(name.replace('.', '/'), bytes.clone()));
        this.maxBatch = maxBatch;
        this.simd = simd;
    }

    public String className() { return className; }

    /** The class files by internal name (copies). */
    public Map<String, byte[]> classFiles() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        classFiles.forEach((name, bytes) -> out.put(name, bytes.clone()));
        return out;
    }

    public int maxBatch() { return maxBatch; }

    /** Whether the trainer's loops use the Vector API (when the JVM has it; the bits are the same either way). */
    public boolean simd() { return simd; }

    /** A fresh replica: its own buffers, parameters not initialised. */
    public DataParallelModel instantiate() {
        try {
            Object model = trainerClass().getConstructor(int.class).newInstance(maxBatch);
            if (!(model instanceof SplitEntries split))
                throw new IllegalArgumentException(className + " has no gradient and apply entries: compile it with Compilation.dataParallel");
            return new SplitModel(split);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException("constructor of " + className + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(className + " cannot be instantiated from its bundle", e);
        }
    }

    private Class<?> trainerClass() throws ClassNotFoundException {
        Class<?> c = loaded;
        if (c == null) {
            synchronized (this) {
                if (loaded == null) loaded = new BundleClassLoader(classFiles).loadClass(className);
                c = loaded;
            }
        }
        return c;
    }
}
