package nnc.runtime.parallel;

import java.util.HashMap;
import java.util.Map;

/**
 * Defines a generated trainer and its nested classes from their class files, on first use, with
 * the runtime's loader as parent: the trainer sees {@code nnc.runtime} and the JDK only.
 */
final class BundleClassLoader extends ClassLoader {
    static { registerAsParallelCapable(); }

    private final Map<String, byte[]> pending = new HashMap<>();

    /** @param classFiles class files by internal name ({@code nnc/generated/NAME}) */
    BundleClassLoader(Map<String, byte[]> classFiles) {
        super("nnc-bundle", SplitEntries.class.getClassLoader());
        classFiles.forEach((name, bytes) -> pending.put(name.replace('/', '.'), bytes));
    }

    @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes;
        synchronized (pending) { bytes = pending.remove(name); }
        if (bytes == null) throw new ClassNotFoundException(name);
        return defineClass(name, bytes, 0, bytes.length);
    }
}
