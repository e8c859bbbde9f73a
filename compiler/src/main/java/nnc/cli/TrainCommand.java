package nnc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import nnc.check.TrainConfig;
import nnc.driver.Backend;
import nnc.driver.TrainStepBuilder;
import nnc.driver.UserError;
import nnc.ir.IrModule;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.train.EpochStats;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnc train FILE}: compile the model with a back end and train it as its train block says. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Compile and train a model; flags override its train block.")
final class TrainCommand implements Callable<Integer> {
    @Mixin ModelFile input;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "bytecode", description = "interp | java | bytecode (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--epochs", paramLabel = "N", description = "number of passes over the data")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "rows per mini-batch")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S", description = "seed for initialisation, data and shuffling")
    Long seed;

    @Option(names = "--json", description = "end with one line of JSON with the results")
    boolean json;

    @Option(names = "--simd", paramLabel = "on|off", defaultValue = "on", description = "vector loops in generated code (default: ${DEFAULT-VALUE})")
    String simd;

    @Option(names = "--threads", paramLabel = "T", description = "threads for large matrix products (default: available processors)")
    Integer threads;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Backend be = parseBackend();
        boolean vectors = RunOptions.simd(simd, "train");
        RunOptions.threads(threads, "train");
        var loaded = input.load();
        TrainConfig cfg = loaded.model().train() == null ? TrainConfig.defaults() : loaded.model().train();
        if (epochs != null) cfg = cfg.withEpochs(positive(epochs, "--epochs"));
        if (batch != null) cfg = cfg.withBatch(positive(batch, "--batch"));
        if (seed != null) cfg = cfg.withSeed(seed);
        if (cfg.data() == null)
            throw new UserError(loaded.source().path() + ": error: model " + loaded.model().decl().name()
                    + " has no training data: add a line such as `data circles(n = 1000)` to its train block");

        PrintWriter out = spec.commandLine().getOut();
        Dataset train = Datasets.load(cfg.data(), input.baseDir(), cfg.seed());
        Dataset validation = cfg.validate() == null ? null : Datasets.load(cfg.validate(), input.baseDir(), cfg.seed() + 1);
        IrModule module = TrainStepBuilder.build(loaded.model(), cfg).optimized();
        int maxBatch = Math.min(cfg.batch(), Math.max(1, train.rows()));
        CompiledModel model = be.create(module, Math.max(maxBatch, 1), vectors);
        ParamInit.initialize(model, cfg.seed());
        out.printf("training %s on %,d samples (%s backend, %s, batch %d, %d epochs)%n", module.name(), train.rows(), be.text(),
                cfg.optimizer(), cfg.batch(), cfg.epochs());
        out.flush();
        int epochCount = cfg.epochs();
        TrainResult r = Trainer.fit(model, train, validation,
                new TrainOptions(epochCount, maxBatch, cfg.seed(), cfg.shuffle()), stats -> printEpoch(out, stats, epochCount));
        out.printf("final loss %.6f, train accuracy %s%s, %,.0f samples/s%n", r.finalLoss(), pct(r.trainAccuracy()),
                Double.isNaN(r.valAccuracy()) ? "" : ", validation accuracy " + pct(r.valAccuracy()), r.samplesPerSecond());
        if (json) out.println(JsonLine.of(r, be.text()));
        out.flush();
        return 0;
    }

    private Backend parseBackend() {
        try {
            return Backend.parse(backend);
        } catch (IllegalArgumentException e) {
            throw new UserError("nnc train: error: " + e.getMessage());
        }
    }

    private static int positive(int v, String flag) {
        if (v < 1) throw new UserError("nnc train: error: " + flag + " must be at least 1, got " + v);
        return v;
    }

    private static void printEpoch(PrintWriter out, EpochStats s, int epochs) {
        StringBuilder sb = new StringBuilder(String.format("epoch %d/%d  loss %.6f", s.epoch(), epochs, s.trainLoss()));
        if (!Double.isNaN(s.trainAccuracy())) sb.append("  acc ").append(pct(s.trainAccuracy()));
        if (!Double.isNaN(s.valLoss())) sb.append(String.format("  val_loss %.6f", s.valLoss()));
        if (!Double.isNaN(s.valAccuracy())) sb.append("  val_acc ").append(pct(s.valAccuracy()));
        sb.append(String.format("  %,.0f samples/s", s.samplesPerSecond()));
        out.println(sb);
        out.flush();
    }

    private static String pct(double v) { return Double.isNaN(v) ? "n/a" : String.format("%.4f", v); }
}
