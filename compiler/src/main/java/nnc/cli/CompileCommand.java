package nnc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.check.TrainConfig;
import nnc.driver.Backend;
import nnc.driver.TrainStepBuilder;
import nnc.driver.UserError;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.JavaSourceEmitter;
import nnc.kir.KernelProgram;
import nnc.memory.CompileStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnc compile FILE --emit java|class -o DIR}: write the generated trainer. */
@Command(name = "compile", mixinStandardHelpOptions = true, description = "Compile a model to a trainer class: Java source or bytecode.")
final class CompileCommand implements Callable<Integer> {
    @Mixin ModelFile input;

    @Option(names = "--emit", paramLabel = "KIND", defaultValue = "java", description = "java (readable source) or class (bytecode); default ${DEFAULT-VALUE}")
    String emit;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "output directory (package folders are created); required unless --stats")
    Path outDir;

    @Option(names = "--stats", description = "report kernels before/after fusion and the memory plan (bytes at the train block's batch)")
    boolean stats;

    @Option(names = "--json", description = "with --stats: one line of JSON (kernels_before, kernels_after, arena_bytes, naive_bytes, saved_bytes, param_bytes, state_bytes)")
    boolean json;

    @Option(names = "--memory-budget", paramLabel = "BYTES", description = "fail when the planned arena of intermediates exceeds BYTES at the train block's batch")
    Long memoryBudget;

    @Option(names = "--simd", paramLabel = "on|off", defaultValue = "on", description = "vector loops in the generated code (default: ${DEFAULT-VALUE})")
    String simd;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        if (!emit.equals("java") && !emit.equals("class")) throw new UserError("nnc compile: error: --emit must be java or class, not '" + emit + "'");
        boolean vectors = RunOptions.simd(simd, "compile");
        var loaded = input.load();
        TrainConfig cfg = loaded.model().train() == null ? TrainConfig.defaults() : loaded.model().train();
        var module = TrainStepBuilder.build(loaded.model(), cfg).optimized();
        KernelProgram program = Backend.program(module);
        if (stats || memoryBudget != null) {
            CompileStats st = CompileStats.of(module, program, cfg.batch());
            if (stats) spec.commandLine().getOut().print(json ? st.json() + "\n" : st.text(module.name()));
            spec.commandLine().getOut().flush();
            if (memoryBudget != null && st.arenaBytes() > memoryBudget)
                throw new UserError(input.file + ": error: the memory plan needs " + st.arenaBytes() + " bytes of intermediates at batch "
                        + st.batch() + ", over the budget of " + memoryBudget + " bytes (--memory-budget)");
            if (outDir == null) return 0;
        }
        if (outDir == null) throw new UserError("nnc compile: error: missing -o DIR (the output directory)");
        String simple = module.name();
        Path dir = outDir.resolve(Backend.GENERATED_PACKAGE.replace('.', '/'));
        try {
            Files.createDirectories(dir);
            Path file;
            if (emit.equals("java")) {
                file = dir.resolve(simple + ".java");
                Files.writeString(file, JavaSourceEmitter.emit(program, Backend.GENERATED_PACKAGE, simple, vectors));
            } else {
                file = dir.resolve(simple + ".class");
                String internal = (Backend.GENERATED_PACKAGE + "." + simple).replace('.', '/');
                // a class too large for one class file comes with nested classes (NAME$Kernels0.class, ...)
                for (var c : BytecodeEmitter.emitAll(nnc.emit.ModelPlan.of(program), internal, vectors).entrySet())
                    Files.write(dir.resolve(c.getKey().substring(c.getKey().lastIndexOf('/') + 1) + ".class"), c.getValue());
            }
            spec.commandLine().getOut().println("wrote " + file);
        } catch (IOException e) {
            throw new UserError("nnc compile: error: cannot write to " + outDir + ": " + e.getMessage());
        }
        return 0;
    }
}
