package nnc.driver;

import java.util.Locale;
import java.util.function.Supplier;
import nnc.emit.java.JavaText;
import nnc.emit.load.CodeGenerator;
import nnc.interp.Interpreter;
import nnc.ir.IrModule;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.kir.KernelProgram;

/** The ways nnc can run a model: interpret the Graph IR, or generate Java source or bytecode. */
public enum Backend {
    INTERP, JAVA, BYTECODE;

    public String text() { return name().toLowerCase(Locale.ROOT); }

    public static Backend parse(String s) {
        for (Backend b : values()) if (b.text().equals(s.toLowerCase(Locale.ROOT))) return b;
        throw new IllegalArgumentException("unknown backend '" + s + "' (backends: interp, java, bytecode)");
    }

    /** A ready model for {@code maxBatch} rows (SIMD loops); parameters are not initialised yet. */
    public CompiledModel create(IrModule module, int maxBatch) {
        return create(module, maxBatch, true);
    }

    /** As {@link #create(IrModule, int)}; {@code simd} chooses vector or scalar loops in generated code (the interpreter ignores it). */
    public CompiledModel create(IrModule module, int maxBatch, boolean simd) {
        return create(module, maxBatch, simd, Numerics.Mode.ON);
    }

    /**
     * As {@link #create(IrModule, int, boolean)}; with {@link Numerics.Mode#FULL} every kernel (every
     * operation, in the interpreter) checks its output for NaN and infinities and throws naming its
     * {@code .nn} line (other modes build the plain model: their checks are the trainer's).
     */
    public CompiledModel create(IrModule module, int maxBatch, boolean simd, Numerics.Mode numerics) {
        return create(module, () -> program(module), maxBatch, simd, numerics);
    }

    /** As {@link #create(IrModule, int, boolean, Numerics.Mode)}, with the Kernel IR of {@code module} already made ({@link Compilation#program}). */
    CompiledModel create(IrModule module, Supplier<KernelProgram> program, int maxBatch, boolean simd, Numerics.Mode numerics) {
        boolean full = numerics == Numerics.Mode.FULL;
        return switch (this) {
            case INTERP -> new Interpreter(module, maxBatch, full);
            case JAVA -> CodeGenerator.JAVA.build(program.get(), GENERATED_PACKAGE + "." + className(module.name()), maxBatch, simd, full);
            case BYTECODE -> CodeGenerator.BYTECODE.build(program.get(), GENERATED_PACKAGE + "." + className(module.name()), maxBatch, simd, full);
        };
    }

    /**
     * The Kernel IR the code generators get: scheduled, then run through the Kernel IR passes
     * ({@link KernelPipeline#standard()}: kernels merged, storage planned).
     */
    public static KernelProgram program(IrModule module) {
        return KernelPipeline.standard().compile(module);
    }

    public static final String GENERATED_PACKAGE = "nnc.generated";

    /**
     * The simple name of a model's generated class (both back ends, {@code nnc compile}, the Maven
     * plugin): the model's name mangled into a short valid Java identifier ({@link JavaText#identifier});
     * the model keeps its own name in its {@code ModelInfo}.
     */
    public static String className(String modelName) {
        return JavaText.identifier(modelName);
    }
}
