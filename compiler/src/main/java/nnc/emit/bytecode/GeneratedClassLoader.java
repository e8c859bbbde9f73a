package nnc.emit.bytecode;

import nnc.runtime.GeneratedModel;

/**
 * Defines one generated class in a loader of its own, whose parent is the runtime's loader: the
 * class sees {@code nnc.runtime} and the JDK, and the same class name can be defined again.
 */
public final class GeneratedClassLoader extends ClassLoader {
    private GeneratedClassLoader() {
        super("nnc-bytecode", GeneratedModel.class.getClassLoader());
    }

    /** Defines class {@code fqcn} (binary name, e.g. {@code gen.LinReg}) from {@code bytes}. */
    public static Class<?> define(String fqcn, byte[] bytes) {
        return new GeneratedClassLoader().defineClass(fqcn, bytes, 0, bytes.length);
    }
}
