package nnc.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.train.BatchFeeder;

/**
 * The batches {@code nnc bench} trains on. Synthetic (the default): one batch of Gaussian inputs,
 * float targets 0 or 1 and class-index targets in range, written once. From the data ({@code --data K}):
 * the first {@code K} batches of the train block's {@code data} source in file order (rows
 * {@code 0 .. K·batch − 1}, unshuffled, as {@code nnc train} reads them), written into the model
 * before each step, cycled. A harness in another framework reproduces them by reading the same rows.
 */
final class BenchBatches {
    private final BatchFeeder feeder;
    private final int rows;
    private final int count;
    private int next;

    private BenchBatches(BatchFeeder feeder, int rows, int count) {
        this.feeder = feeder;
        this.rows = rows;
        this.count = count;
    }

    /** One synthetic batch, written now; {@link #next()} does nothing. */
    static BenchBatches synthetic(CompiledModel model, int rows, long seed) {
        BenchCommand.fillSynthetic(model, rows, new SplittableRandom(seed));
        return new BenchBatches(null, rows, 1);
    }

    /**
     * The first {@code batches} batches of {@code rows} rows of the train block's data source, or as
     * many whole batches as it holds; the first is written now. A model without a data source, or a
     * source with fewer than {@code rows} rows, is a user error naming the file.
     */
    static BenchBatches fromData(Compilation compilation, Path baseDir, CompiledModel model, int rows, int batches) {
        TrainConfig cfg = compilation.train();
        String where = compilation.source().path() + ": error: ";
        if (cfg.data() == null)
            throw new UserError(where + "--data trains on the train block's data source, but model " + compilation.name()
                    + " has none: add a line such as `data idx(\"images.gz\", \"labels.gz\")` to its train block, or bench without --data");
        Dataset data = Datasets.load(cfg.data(), baseDir, cfg.seed(), Datasets.statistics(cfg.data(), baseDir, cfg.seed()));
        if (data.rows() < rows)
            throw new UserError(where + "--data needs at least one batch of " + rows + " rows, but model " + compilation.name()
                    + "'s data source has " + data.rows() + " rows: bench with a smaller --batch");
        BenchBatches b = new BenchBatches(new BatchFeeder(model, data), rows, Math.min(batches, data.rows() / rows));
        b.next();
        return b;
    }

    /** The number of distinct batches cycled. */
    int count() { return count; }

    /** Writes the next batch into the model (the first after the last); a synthetic batch stays as it is. */
    void next() {
        if (feeder == null) return;
        feeder.feedRange(next * rows, rows);
        next = next + 1 == count ? 0 : next + 1;
    }

    /** The number of trained parameter values (elements of every {@code param}), as PyTorch's {@code sum(p.numel())}. */
    static long parameterCount(CompiledModel m) {
        long n = 0;
        for (TensorSpec t : m.info().withRole(Role.PARAM)) if (!t.inferenceState()) n += t.elements(1);
        return n;
    }
}
