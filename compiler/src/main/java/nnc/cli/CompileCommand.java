package nnc.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import nnc.kir.KernelProgram;
import nnc.memory.CompileStats;
import nnc.runtime.io.OutputFile;
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
        if (!emit.equals("java") && !emit.equals("class")) throw Usage.error(spec, "--emit must be java or class, not '" + emit + "'");
        boolean vectors = RunOptions.simd(simd, spec);
        if (memoryBudget != null) Usage.atLeast(spec, memoryBudget, 0, "--memory-budget");
        Compilation compilation = input.compilation();
        KernelProgram program = compilation.program(); // compile errors before usage errors about the output
        if (stats || memoryBudget != null) {
            CompileStats st = CompileStats.of(compilation.optimized(), program, compilation.train().batch());
            if (stats) spec.commandLine().getOut().print(json ? st.json() + "\n" : st.text(compilation.name()));
            spec.commandLine().getOut().flush();
            if (memoryBudget != null && st.arenaBytes() > memoryBudget)
                throw new UserError(input.file + ": error: the memory plan needs " + st.arenaBytes() + " bytes of intermediates at batch "
                        + st.batch() + ", over the budget of " + memoryBudget + " bytes (--memory-budget)");
            if (outDir == null) return 0;
        }
        if (outDir == null) throw Usage.error(spec, "missing -o DIR (the output directory)");
        String simple = compilation.className();
        Path dir = outDir.resolve(Backend.GENERATED_PACKAGE.replace('.', '/'));
        Path file = dir.resolve(simple + (emit.equals("java") ? ".java" : ".class"));
        OutputFile.createDirectories(dir);
        OutputFile.check(file, 0); // before the emitter's work
        Map<Path, byte[]> files = new LinkedHashMap<>();
        if (emit.equals("java")) {
            files.put(file, compilation.javaSource(Backend.GENERATED_PACKAGE, vectors).getBytes(StandardCharsets.UTF_8));
        } else { // a class too large for one class file comes with nested classes (NAME$Kernels0.class, ...)
            for (var c : compilation.bytecodeClassFiles(vectors).entrySet())
                files.put(dir.resolve(c.getKey().substring(c.getKey().lastIndexOf('/') + 1) + ".class"), c.getValue());
        }
        for (var f : files.entrySet()) OutputFile.check(f.getKey(), f.getValue().length);
        for (var f : files.entrySet()) OutputFile.write(f.getKey(), f.getValue()); // a temporary sibling, then a rename: a failed write leaves the old file whole
        spec.commandLine().getOut().println("wrote " + file);
        return 0;
    }
}
