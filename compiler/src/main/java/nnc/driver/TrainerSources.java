package nnc.driver;

import nnc.check.TrainConfig;
import nnc.emit.java.JavaSourceEmitter;
import nnc.kir.KernelProgram;

/**
 * A checked model all the way to its trainer's Java source, as {@code nnc compile --emit java}
 * and the Maven plugin write it: the train step built with the model's own train block (or the
 * defaults), scheduled, memory-planned, and emitted as a class named after the model ({@link Backend#className}).
 */
public final class TrainerSources {
    private TrainerSources() {}

    /** A generated compilation unit: {@code packageName.simpleName}. */
    public record Generated(String packageName, String simpleName, String source) {
        public String qualifiedName() { return packageName + "." + simpleName; }
    }

    /** The kernel program of {@code loaded}'s full train step, scheduled and memory-planned as every back end gets it ({@link Backend#program}). */
    public static KernelProgram program(FrontEnd.Loaded loaded) {
        TrainConfig cfg = loaded.model().train();
        return Backend.program(TrainStepBuilder.build(loaded.model(), cfg).optimized());
    }

    public static Generated java(FrontEnd.Loaded loaded, String packageName) {
        KernelProgram program = program(loaded);
        String simple = Backend.className(program.info().name());
        return new Generated(packageName, simple, JavaSourceEmitter.emit(program, packageName, simple));
    }
}
