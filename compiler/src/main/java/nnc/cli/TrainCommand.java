package nnc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.DistributedTraining;
import nnc.driver.UserError;
import nnc.ir.IrModule;
import nnc.optim.OptimizerCatalog;
import nnc.optim.Schedules;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.NncVersion;
import nnc.runtime.Role;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.io.ModelFiles;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.OutputFile;
import nnc.runtime.io.OutputFileException;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.report.TrainingReport;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.EpochPrinter;
import nnc.runtime.train.Metrics;
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
    @Mixin MaxMemoryOption maxMemory;
    @Mixin NumericsOption numerics;

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

    @Option(names = "--save", paramLabel = "FILE",
            description = "write the final parameters and inference state (batch norm's running statistics) to FILE (safetensors, named as in the model)")
    Path save;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "keep DIR/last.safetensors current: parameters, optimiser state, epoch/step/RNG")
    Path checkpoint;

    @Option(names = "--every", paramLabel = "N", description = "with --checkpoint: also every N steps (default: at the end of each epoch)")
    Long every;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue the run checkpointed in DIR to the configured end (and keep checkpointing there)")
    Path resume;

    @Option(names = "--report", paramLabel = "DIR", description = "write DIR/metrics.csv, loss and accuracy charts (PNG) and, for 2-feature classifiers, a decision-boundary image")
    Path report;

    @Option(names = "--simd", paramLabel = "on|off", defaultValue = "on", description = "vector loops in generated code (default: ${DEFAULT-VALUE})")
    String simd;

    @Option(names = "--threads", paramLabel = "T", description = "threads for large matrix products (default: available processors)")
    Integer threads;

    @Option(names = "--spark", paramLabel = "MASTER", description = "train data-parallel on Apache Spark: local[N] or spark://HOST:PORT (needs nnc-spark; see docs/distributed.md)")
    String spark;

    @Option(names = "--partitions", paramLabel = "P", description = "with --spark: shares of each batch, one Spark task each (default: 2)")
    Integer partitions;

    @Option(names = "--sync", paramLabel = "job|barrier", description = "with --spark: one Spark job per step (job, the default), or one long-running barrier stage for the run (barrier: P free task slots; see docs/distributed.md)")
    String sync;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Backend be = RunOptions.backend(backend, spec);
        if (every != null) Usage.atLeast(spec, every, 1, "--every");
        if (partitions != null && spark == null) throw Usage.error(spec, "--partitions needs --spark MASTER");
        if (sync != null && spark == null) throw Usage.error(spec, "--sync needs --spark MASTER");
        if (spark != null) SparkOption.sync(sync, spec);
        if (every != null && checkpoint == null && resume == null)
            throw Usage.error(spec, "--every needs --checkpoint DIR (or --resume DIR, which keeps checkpointing there)");
        boolean vectors = RunOptions.simd(simd, spec);
        RunOptions.threads(threads, spec);
        Compilation compilation = input.compilation();
        TrainConfig cfg = compilation.train();
        if (epochs != null) cfg = cfg.withEpochs(positive(epochs, "--epochs"));
        checkDestinations();
        boolean fullBatch = OptimizerCatalog.named(cfg.optimizer()).fullBatch();
        if (batch != null && fullBatch)
            throw Usage.error(spec, "--batch has no effect with " + cfg.optimizer() + ", which steps once per epoch on the whole training set");
        if (batch != null) cfg = cfg.withBatch(positive(batch, "--batch"));
        if (seed != null) cfg = cfg.withSeed(seed);
        if (cfg.data() == null)
            throw new UserError(compilation.source().path() + ": error: model " + compilation.name()
                    + " has no training data: add a line such as `data circles(n = 1000)` to its train block");

        // with --save /dev/stdout the parameters are the standard output: the run's own lines go to the standard error
        PrintWriter out = save != null && OutputFile.isStandardOutput(save) ? spec.commandLine().getErr() : spec.commandLine().getOut();
        var statistics = Datasets.statistics(cfg.data(), input.baseDir(), cfg.seed());
        Dataset train = Datasets.load(cfg.data(), input.baseDir(), cfg.seed(), statistics);
        Dataset validation = cfg.validate() == null ? null : Datasets.load(cfg.validate(), input.baseDir(), cfg.seed() + 1, statistics);
        compilation = compilation.withTrain(cfg);
        IrModule module = compilation.optimized();
        if (fullBatch) cfg = cfg.withBatch(Math.max(1, train.rows()));
        int maxBatch = Math.min(cfg.batch(), Math.max(1, train.rows()));
        if (cfg.earlyStopping() != null && cfg.earlyStopping().monitor().endsWith("accuracy")
                && Metrics.of(module.info()).accuracy() == null)
            throw new UserError(compilation.source().path() + ": error: early stopping monitors " + cfg.earlyStopping().monitor()
                    + " but model " + module.name() + " has no accuracy metric: add `metric accuracy(OUTPUT, TARGET)`, or monitor a loss");
        if (cfg.earlyStopping() != null && cfg.earlyStopping().monitor().equals("val_top_k")
                && (Metrics.of(module.info()).topK() == null || validation == null))
            throw new UserError(compilation.source().path() + ": error: early stopping monitors val_top_k, which needs a `metric top_k(OUTPUT, TARGET, k = K)`"
                    + " line and a `validate` data set in model " + module.name());
        DistributedTraining.Session distributed = spark == null ? null : SparkOption.open(spark, partitions, sync, spec, compilation, be,
                Math.max(maxBatch, 1), vectors, numerics.mode());
        try {
            return train(distributed, compilation, be, cfg, module, maxBatch, vectors, train, validation, out);
        } finally {
            if (distributed != null) distributed.close();
        }
    }

    private Integer train(DistributedTraining.Session distributed, Compilation compilation, Backend be, TrainConfig cfg, IrModule module,
                          int maxBatch, boolean vectors, Dataset train, Dataset validation, PrintWriter out) {
        CompiledModel model = distributed != null ? distributed.model() : compilation.compiled(be, Math.max(maxBatch, 1), vectors, numerics.mode());
        ParamInit.initialize(model, cfg.seed());
        checkSpace(model, cfg);
        out.printf("training %s on %,d samples (%s backend, %s, batch %d, %d epochs)%n", module.name(), train.rows(), be.text(),
                cfg.optimizer(), cfg.batch(), cfg.epochs());
        if (distributed != null) out.println(distributed.describe());
        out.flush();
        int epochCount = cfg.epochs();
        TrainOptions options = runOptions(cfg, maxBatch, train.rows()).withNumerics(numerics.mode());
        TrainResult r = Trainer.fit(model, train, validation, options, new EpochPrinter(out, epochCount, progressBar()));
        if (r.history().isEmpty() && resume != null)
            out.printf("nothing to train: the run checkpointed in %s has done its %d epochs%n", resume, cfg.epochs());
        if (r.stoppedEarly()) out.printf("early stopping: no improvement of %s for %d epochs; restored the %s of epoch %d%n",
                cfg.earlyStopping().monitor(), cfg.earlyStopping().patience(), trainedWhat(model), r.bestEpoch());
        out.printf("final loss %.6f, train accuracy %s%s, %,.0f samples/s%n", r.finalLoss(), pct(r.trainAccuracy()),
                Double.isNaN(r.valAccuracy()) ? "" : ", validation accuracy " + pct(r.valAccuracy()), r.samplesPerSecond());
        if (save != null) {
            out.flush();
            SafeTensors.write(save, ModelTensors.trained(model), saveMetadata(module.name()));
            out.println("saved the " + trainedWhat(model) + " to " + save);
        }
        if (report != null) {
            try {
                var run = TrainingReport.Run.of(model, options).withOptimizer(optimizerText(cfg));
                var files = TrainingReport.write(report, run, r, model, train);
                out.println("wrote the report: " + String.join(", ", files.stream().map(Path::toString).toList()));
            } catch (IOException e) {
                throw new UserError(report + ": error: cannot write the report: " + e.getMessage());
            }
        }
        if (distributed != null) out.println(distributed.timing());
        if (json) out.println(JsonLine.of(r, be.text()));
        out.flush();
        return 0;
    }

    private int positive(int v, String flag) { return (int) Usage.atLeast(spec, v, 1, flag); }

    /** What a generated trainer's {@code save} writes too ({@link ModelFiles}), so its {@code load} reads either. */
    private static Map<String, String> saveMetadata(String model) {
        return Map.of(ModelFiles.MODEL, model, ModelFiles.VERSION, NncVersion.current(), ModelFiles.CONTENTS, ModelFiles.TRAINED);
    }

    /** What the trained model is made of: "parameters", or "parameters and inference state" (batch norm's running statistics). */
    private static String trainedWhat(CompiledModel model) {
        return model.info().inferenceState().isEmpty() ? "parameters" : "parameters and inference state";
    }

    /** Before any work: every destination can be written (a run must not end in "no such directory"). */
    private void checkDestinations() {
        if (save != null) OutputFile.check(save, 0);
        if (report != null) {
            try {
                TrainingReport.check(report);
            } catch (OutputFileException e) {
                throw new UserError(e.file() + ": error: cannot write the report: " + e.problem());
            }
        }
        for (Path dir : new Path[] {checkpoint, resume}) {
            if (dir == null) continue;
            OutputFile.checkDirectory(dir);
            if (Files.isDirectory(dir)) OutputFile.check(Checkpoint.file(dir), 0);
        }
    }

    /** Once the model exists: room for what --save and the checkpoints will write. */
    private void checkSpace(CompiledModel model, TrainConfig cfg) {
        if (save != null) OutputFile.check(save, SafeTensors.size(ModelTensors.trained(model), saveMetadata(model.info().name())));
        Path dir = checkpoint != null ? checkpoint : resume;
        if (dir != null && Files.isDirectory(dir)) {
            long bytes = SafeTensors.size(ModelTensors.copy(model, Set.of(Role.PARAM, Role.STATE), ""), Map.of())
                    + (cfg.earlyStopping() != null ? SafeTensors.size(ModelTensors.trained(model), Map.of()) : 0) // the best epoch's copy
                    + 1024 + 200L * cfg.epochs(); // the metadata: the run's settings and about 200 bytes of history an epoch
            OutputFile.check(Checkpoint.file(dir), bytes);
        }
    }

    /** The runtime's options: schedule, early stopping, checkpoints and resume on top of epochs, batch, seed, shuffle. */
    private TrainOptions runOptions(TrainConfig cfg, int maxBatch, int rows) {
        long stepsPerEpoch = (rows + maxBatch - 1) / maxBatch;
        TrainOptions o = new TrainOptions(cfg.epochs(), maxBatch, cfg.seed(), cfg.shuffle())
                .withSchedule(Schedules.of(cfg, stepsPerEpoch * cfg.epochs()));
        TrainConfig.EarlyStopping es = cfg.earlyStopping();
        if (es != null) o = o.withEarlyStopping(new EarlyStopping(es.patience(), es.monitor(), es.minDelta()));
        Path dir = checkpoint != null ? checkpoint : resume;
        if (dir != null) o = o.withCheckpoints(dir, every == null ? 0 : every);
        return resume == null ? o : o.withResume(resume);
    }

    /** A progress bar on an interactive terminal, never with --json or when output is redirected. */
    private boolean progressBar() { return !json && EpochPrinter.isTerminal(); }

    /** The optimiser and its options that are not 0, {@code lr} first, the others by name: {@code adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)}. */
    static String optimizerText(TrainConfig cfg) {
        List<String> options = new ArrayList<>();
        new TreeMap<>(cfg.optimizerOptions()).forEach((k, v) -> {
            if (v == 0) return;
            String text = k + "=" + (v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString(v.longValue())
                    : Double.toString(v).replace(".0E", "E").replace('E', 'e'));
            if (k.equals("lr")) options.add(0, text); else options.add(text);
        });
        return options.isEmpty() ? cfg.optimizer() : cfg.optimizer() + "(" + String.join(", ", options) + ")";
    }

    private static String pct(double v) { return Double.isNaN(v) ? "n/a" : String.format("%.4f", v); }
}
