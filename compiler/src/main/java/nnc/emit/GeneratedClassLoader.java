package nnc.emit;

import java.util.HashMap;
import java.util.Map;
import nnc.runtime.GeneratedModel;

/**
 * Defines one generated class in a loader of its own, whose parent is the runtime's loader: the
 * class sees {@code nnc.runtime} and the JDK, and the same class name can be defined again.
 */
public final class GeneratedClassLoader extends ClassLoader {
    /** Class files not defined yet, by binary name (the nested classes of a split class, defined when first used). */
    private final Map<String, byte[]> pending = new HashMap<>();

    private GeneratedClassLoader() {
        super("nnc-bytecode", GeneratedModel.class.getClassLoader());
    }

    /** Defines class {@code fqcn} (binary name, e.g. {@code gen.LinReg}) from {@code bytes}. */
    public static Class<?> define(String fqcn, byte[] bytes) {
        return new GeneratedClassLoader().defineClass(fqcn, bytes, 0, bytes.length);
    }

    /**
     * Defines class {@code fqcn} and the other classes of {@code classes} (class files by internal
     * name, {@code gen/LinReg}, as {@code BytecodeEmitter.emitAll} gives them) in one loader.
     */
    public static Class<?> define(String fqcn, Map<String, byte[]> classes) {
        GeneratedClassLoader loader = new GeneratedClassLoader();
        classes.forEach((name, bytes) -> loader.pending.put(name.replace('/', '.'), bytes));
        try {
            return loader.loadClass(fqcn);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no class " + fqcn + " among " + classes.keySet(), e);
        }
    }

    @Override protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes;
        synchronized (pending) { bytes = pending.remove(name); }
        if (bytes == null) throw new ClassNotFoundException(name);
        return defineClass(name, bytes, 0, bytes.length);
    }
}
