package nnc.emit.load;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import nnc.emit.GeneratedClassLoader;
import nnc.emit.ModelPlan;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.InMemoryJavaCompiler;
import nnc.emit.java.JavaSourceEmitter;
import nnc.kir.KernelProgram;
import nnc.runtime.CompiledModel;

/**
 * The two code generators, which turn a {@link KernelProgram} into a running {@link CompiledModel};
 * both yield bitwise-identical results for the same program.
 */
public enum CodeGenerator {
    /** Java source through JavaPoet, compiled in memory by javac. */
    JAVA,
    /** Class file bytes through ASM, defined directly. */
    BYTECODE;

    /**
     * Emits {@code program} as class {@code className} (fully qualified; may repeat across calls,
     * each call uses a fresh class loader), loads it and instantiates it for {@code maxBatch} rows.
     */
    public CompiledModel build(KernelProgram program, String className, int maxBatch) {
        return build(program, className, maxBatch, true);
    }

    /** As {@link #build(KernelProgram, String, int)}, with SIMD loops ({@code simd}) or scalar loops only. */
    public CompiledModel build(KernelProgram program, String className, int maxBatch, boolean simd) {
        return build(program, className, maxBatch, simd, false);
    }

    /** As {@link #build(KernelProgram, String, int, boolean)}; {@code checks}: each kernel's output checked for NaN and infinities ({@code --check-numerics=full}). */
    public CompiledModel build(KernelProgram program, String className, int maxBatch, boolean simd, boolean checks) {
        return instantiate(load(program, className, simd, checks), maxBatch);
    }

    /** Emits and loads class {@code className} (SIMD mode) without instantiating it. */
    public Class<?> load(KernelProgram program, String className) {
        return load(program, className, true);
    }

    /** Emits and loads class {@code className} without instantiating it. */
    public Class<?> load(KernelProgram program, String className, boolean simd) {
        return load(program, className, simd, false);
    }

    /**
     * Emits and loads class {@code className}, with kernel output checks when {@code checks}. Either
     * way the class's {@code SourceFile} and line numbers name the {@code .nn} statements
     * ({@link ModelPlan#lines()}).
     */
    public Class<?> load(KernelProgram program, String className, boolean simd, boolean checks) {
        return GeneratedClassLoader.define(className, classFiles(program, className, simd, checks));
    }

    /**
     * The class files of {@code program} as class {@code className} (fully qualified), by name
     * ({@code nnc/generated/NAME} or {@code nnc.generated.NAME}, and the nested classes of a split
     * class): javac's output of the Java source, or the ASM back end's; either way the class's
     * {@code SourceFile} and line numbers name the {@code .nn} statements ({@link ModelPlan#nnLines()}).
     */
    public Map<String, byte[]> classFiles(KernelProgram program, String className, boolean simd, boolean checks) {
        return classFiles(program, className, simd, checks, false);
    }

    /**
     * As {@link #classFiles(KernelProgram, String, boolean, boolean)}; with {@code profiled},
     * {@code trainStep} times each kernel call into {@code GeneratedModel.kernelNanos()}.
     */
    public Map<String, byte[]> classFiles(KernelProgram program, String className, boolean simd, boolean checks, boolean profiled) {
        ModelPlan plan = ModelPlan.of(program);
        return switch (this) {
            case JAVA -> {
                int dot = className.lastIndexOf('.');
                String pkg = dot < 0 ? "" : className.substring(0, dot);
                yield InMemoryJavaCompiler.compileToBytes(className, JavaSourceEmitter.emit(plan, pkg, className.substring(dot + 1), simd, checks, profiled),
                        plan.nnLines());
            }
            case BYTECODE -> BytecodeEmitter.emitAll(plan, className.replace('.', '/'), simd, checks, profiled);
        };
    }

    /**
     * {@code new C(maxBatch)} for a generated class.
     *
     * @throws IllegalArgumentException when {@code c} is not a generated model or rejects {@code maxBatch}
     */
    public static CompiledModel instantiate(Class<?> c, int maxBatch) {
        if (!CompiledModel.class.isAssignableFrom(c))
            throw new IllegalArgumentException(c.getName() + " is not a CompiledModel");
        try {
            return (CompiledModel) c.getConstructor(int.class).newInstance(maxBatch);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException("constructor of " + c.getName() + " failed", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(c.getName() + " has no public constructor (int maxBatch)", e);
        }
    }
}
