package nnc.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import nnc.ir.IrModule;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Datasets;
import nnc.runtime.data.Normalization;
import nnc.runtime.io.FeatureFile;
import nnc.runtime.io.OutputFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc predict FILE --params P.safetensors --input X.csv|X.idx --out Y.csv}: runs the model's
 * forward pass (no loss, no update) on every row of X and writes its outputs as CSV, one row per
 * input row, one column per output value ({@code p} for an output of width 1, {@code logits_0 ...
 * logits_9} for width 10).
 */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Run saved parameters on new inputs; write the outputs as CSV.")
final class PredictCommand implements Callable<Integer> {
    @Mixin ModelFile input;
    @Mixin MaxMemoryOption maxMemory;
    @Mixin NumericsOption numerics;

    @Option(names = "--params", paramLabel = "P.safetensors", required = true, description = "the parameters (as nnc train --save writes them)")
    Path params;

    @Option(names = "--input", paramLabel = "X", required = true, description = "CSV of numbers (optional header), or IDX of unsigned bytes (.gz or plain)")
    Path inputFile;

    @Option(names = {"-o", "--out"}, paramLabel = "Y.csv", required = true, description = "where to write the outputs")
    Path out;

    @Option(names = "--scale", paramLabel = "S", description = "multiply every input value by S (default: the scale of the train block's data, else 1)")
    Double scale;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "bytecode", description = "interp | java | bytecode (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256", description = "rows per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Backend be = RunOptions.backend(backend, spec);
        Usage.atLeast(spec, batch, 1, "--batch");
        if (scale != null && !Double.isFinite(scale)) throw Usage.error(spec, "--scale must be a finite number, got " + scale);
        OutputFile.check(out, 0);
        Compilation compilation = input.compilation();
        TrainConfig cfg = compilation.train();
        FeatureFile x = FeatureFile.read(inputFile, (float) (scale != null ? scale : defaultScale(cfg)), Datasets.allowsNonFinite(cfg.data()));
        // a model trained on normalize = true data sees its inputs standardised with the training data's statistics
        Normalization statistics = Datasets.statistics(cfg.data(), input.baseDir(), cfg.seed());
        if (statistics != null) {
            if (statistics.features() != x.featureSize())
                throw new UserError(inputFile + ": error: its rows have " + x.featureSize() + " values, the training data has "
                        + statistics.features() + " features");
            statistics.apply(x.x(), x.rows());
        }
        IrModule module = compilation.optimized();
        int b = Math.min(batch, x.rows());
        CompiledModel model = compilation.compiled(be, b, true, numerics.mode());
        ParamsLoader.load(model, params, numerics, spec.commandLine().getErr());
        List<TensorSpec> inputs = model.info().withRole(Role.INPUT);
        if (inputs.size() != 1)
            throw new UserError("nnc predict: error: model " + module.name() + " has " + inputs.size() + " inputs; predict feeds exactly one");
        TensorSpec in = inputs.get(0);
        if (in.rowSize() != x.featureSize())
            throw new UserError(inputFile + ": error: its rows have " + x.featureSize() + " values, the model's input " + in.name() + " is "
                    + in.typeText() + " (" + in.rowSize() + " values per row)");
        List<TensorSpec> outputs = module.predict().outputs().keySet().stream().map(n -> model.info().get(n)).toList();
        StringBuilder csv = new StringBuilder(header(outputs)).append('\n');
        for (int from = 0; from < x.rows(); from += b) {
            int rows = Math.min(b, x.rows() - from);
            feed(model, in, x, from, rows);
            model.predict(rows);
            for (int r = 0; r < rows; r++) {
                String sep = "";
                for (TensorSpec o : outputs) {
                    float[] v = model.floats(o.name());
                    int base = model.offset(o.name()) + r * o.rowSize();
                    for (int j = 0; j < o.rowSize(); j++, sep = ",") csv.append(sep).append(v[base + j]);
                }
                csv.append('\n');
            }
        }
        spec.commandLine().getOut().flush();
        OutputFile.write(out, csv.toString().getBytes(StandardCharsets.UTF_8));
        // with --out /dev/stdout the outputs are the standard output: the summary goes to the standard error
        PrintWriter o = OutputFile.isStandardOutput(out) ? spec.commandLine().getErr() : spec.commandLine().getOut();
        o.printf("wrote %s: %,d rows of %s%n", out, x.rows(), header(outputs).replace(",", ", "));
        o.flush();
        return 0;
    }

    private static double defaultScale(TrainConfig cfg) {
        return cfg.data() != null && cfg.data().options().get("scale") instanceof Double d ? d : 1.0;
    }

    private static void feed(CompiledModel model, TensorSpec in, FeatureFile x, int from, int rows) {
        int n = rows * in.rowSize(), src = from * in.rowSize();
        if (in.dtype() == DType.F32) {
            System.arraycopy(x.x(), src, model.floats(in.name()), model.offset(in.name()), n);
        } else {
            int[] dst = model.ints(in.name());
            for (int i = 0; i < n; i++) dst[model.offset(in.name()) + i] = (int) x.x()[src + i];
        }
    }

    private static String header(List<TensorSpec> outputs) {
        StringBuilder sb = new StringBuilder();
        for (TensorSpec o : outputs) {
            for (int j = 0; j < o.rowSize(); j++) {
                if (!sb.isEmpty()) sb.append(',');
                sb.append(o.name()).append(o.rowSize() == 1 ? "" : "_" + j);
            }
        }
        return sb.toString();
    }
}
