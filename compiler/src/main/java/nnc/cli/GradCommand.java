package nnc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.GradientRunner;
import nnc.driver.UserError;
import nnc.optim.TrainConfig;
import nnc.runtime.io.OutputFile;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.io.TensorFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc grad FILE --params P.safetensors --inputs I.safetensors --out G.safetensors}: the loss
 * and every parameter's gradient for one batch, read from and written to safetensors files (the
 * format PyTorch's {@code safetensors} package uses), so nnc's gradients can be checked against
 * another framework's.
 */
@Command(name = "grad", mixinStandardHelpOptions = true,
        description = {"Compute the loss and the gradient of every parameter for one batch.",
                "Tensors are named as in the model: a layer bound to h owns h.W ([in, out]) and h.b; explicit params, "
                        + "inputs and targets keep their names. The output holds `loss` and one gradient per parameter, "
                        + "under the parameter's name."})
final class GradCommand implements Callable<Integer> {
    @Mixin ModelFile input;
    @Mixin MaxMemoryOption maxMemory;
    @Mixin NumericsOption numerics;

    @Option(names = "--params", paramLabel = "P.safetensors",
            description = "parameter values (and inference state, as nnc train --save writes it); parameters not in the file are initialised from --seed")
    Path params;

    @Option(names = "--inputs", paramLabel = "I.safetensors", required = true,
            description = "one batch: every input and target of the model, with the batch size as leading dimension "
                    + "(class indices may be I64 or I32)")
    Path inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "G.safetensors", required = true, description = "where to write the loss and the gradients")
    Path out;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "bytecode", description = "interp | java | bytecode (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--seed", paramLabel = "S", description = "seed for parameters not given (default: the train block's seed)")
    Long seed;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Backend be = RunOptions.backend(backend, spec);
        OutputFile.check(out, 0);
        Compilation compilation = input.compilation();
        TrainConfig cfg = compilation.train();
        long s = seed != null ? seed : cfg.seed();
        TensorFile paramFile = params == null ? TensorFile.of("(no --params)", List.of()) : read(params);
        numerics.checkLoaded(paramFile);
        TensorFile inputFile = read(inputs);

        GradientRunner.Result r = new GradientRunner(compilation, be, numerics.mode()).run(paramFile, inputFile, s);
        spec.commandLine().getOut().flush();
        try {
            SafeTensors.write(out, r.tensors(), Map.of("model", compilation.name(), "backend", be.text()));
        } catch (SafeTensorsException e) {
            throw new UserError(e.file() + ": error: " + e.problem(), e);
        }
        PrintWriter o = OutputFile.isStandardOutput(out) ? spec.commandLine().getErr() : spec.commandLine().getOut();
        o.printf("wrote %s: loss %s and %d gradients (batch %d, %s backend)%n", out, r.loss().f32()[0], r.gradients().size(),
                r.batch(), be.text());
        if (!r.initialized().isEmpty()) o.printf("initialised from seed %d: %s%n", s, String.join(", ", r.initialized()));
        o.flush();
        return 0;
    }

    private static TensorFile read(Path file) {
        try {
            return SafeTensors.read(file);
        } catch (SafeTensorsException e) {
            throw new UserError(e.file() + ": error: " + e.problem(), e);
        }
    }
}
