package nnc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.check.Checker;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import nnc.ir.IrModule;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.train.EvalResult;
import nnc.runtime.train.Evaluation;
import nnc.runtime.train.Json;
import nnc.runtime.train.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc eval FILE --params P.safetensors [--data SOURCE]}: the loss and metrics ({@link Evaluation}) of saved
 * parameters on a data set: {@code --data}, else the train block's validation set, else its
 * training set (synthetic sets are drawn with the same seeds as {@code nnc train} draws them).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Loss and metrics of saved parameters on a data set.")
final class EvalCommand implements Callable<Integer> {
    @Mixin ModelFile input;
    @Mixin MaxMemoryOption maxMemory;
    @Mixin NumericsOption numerics;

    @Option(names = "--params", paramLabel = "P.safetensors", required = true, description = "the parameters (as nnc train --save writes them)")
    Path params;

    @Option(names = "--data", paramLabel = "SOURCE", description = "a data source as in a train block, e.g. 'csv(\"test.csv\", label = y)' "
            + "(default: the train block's validate set, else its data)")
    String data;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "bytecode", description = "interp | java | bytecode (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--batch", paramLabel = "N", description = "rows per evaluation step (default: the train block's batch)")
    Integer batch;

    @Option(names = "--json", description = "end with one line of JSON: loss, accuracy, precision, recall, f1 (macro), confusion_matrix "
            + "for a classifier; mae, rmse, r2 for a regression model; samples")
    boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Backend be = RunOptions.backend(backend, spec);
        if (batch != null) Usage.atLeast(spec, batch, 1, "--batch");
        Compilation compilation = input.compilation();
        TrainConfig cfg = compilation.train();
        Dataset ds;
        String what;
        // normalize = true sources are standardised with the training data's statistics, as in training
        var statistics = Datasets.statistics(cfg.data(), input.baseDir(), cfg.seed());
        if (data != null) {
            DataSpec s = Checker.parseData(data, "--data");
            ds = Datasets.load(s, Path.of("").toAbsolutePath(), cfg.seed() + 1, statistics);
            what = data;
        } else if (cfg.validate() != null) {
            ds = Datasets.load(cfg.validate(), input.baseDir(), cfg.seed() + 1, statistics);
            what = "the validation set";
        } else if (cfg.data() != null) {
            ds = Datasets.load(cfg.data(), input.baseDir(), cfg.seed(), statistics);
            what = "the training set";
        } else {
            throw new UserError("nnc eval: error: model " + compilation.name() + " names no data set: give one with --data SOURCE");
        }
        if (ds.rows() == 0) throw new UserError("nnc eval: error: " + what + " has no rows");
        int b = Math.min(batch != null ? batch : cfg.batch(), ds.rows());
        IrModule module = compilation.optimized();
        CompiledModel model = compilation.compiled(be, b, true, numerics.mode());
        ParamsLoader.load(model, params, numerics, spec.commandLine().getErr());
        Evaluation ev = Evaluation.of(model, ds, b);
        EvalResult r = ev.result();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s on %s (%,d samples): loss %.6f%s%s%n", module.name(), what, ds.rows(), r.loss(),
                Double.isNaN(r.accuracy()) ? "" : String.format(", accuracy %.4f", r.accuracy()),
                Double.isNaN(r.topK()) ? "" : String.format(", top-%d accuracy %.4f", topKOf(module), r.topK()));
        if (ev.classification() != null) out.println(ev.classification());
        if (ev.regression() != null) out.println(ev.regression());
        if (json) {
            Json j = ev.json();
            if (!Double.isNaN(r.topK())) j.put("top_k", topKOf(module)).put("top_k_accuracy", r.topK());
            out.println(j.put("samples", ds.rows()));
        }
        out.flush();
        return 0;
    }

    private static int topKOf(IrModule module) { return Metrics.of(module.info()).topK().k(); }


}
