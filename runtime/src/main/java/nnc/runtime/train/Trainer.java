package nnc.runtime.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.data.Dataset;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.TensorFile;

/**
 * The mini-batch training loop. Each epoch visits every training row once, in the order
 * {@link EpochOrder} gives (a permutation seeded by (seed, epoch) when shuffling), or the model's
 * own order when it keeps its rows by partition ({@link PartitionedRows}); the last
 * batch of an epoch takes the remaining rows. A run is a pure function of the model's starting
 * state, the data and the options: the same inputs give bitwise the same losses and parameters,
 * and a run resumed from a checkpoint continues exactly as the uninterrupted one would have.
 *
 * <p>Per step, a learning-rate schedule (if any) writes the step's rate into the model's
 * {@code lr} state tensor, computed from the run's 64-bit step count. Per epoch: validation,
 * early stopping (keeping a copy of the best epoch's parameters and inference state, such as batch
 * norm's running statistics, put back at the end), and a checkpoint; checkpoints can also be written
 * every N steps. A listener can end the run after any epoch ({@link TrainListener#stopRequested}).
 *
 * <p>{@code fit} does not initialise parameters (see {@code ParamInit}), so it can also continue
 * training a model.
 */
public final class Trainer {
    /** The state tensor a schedule writes the learning rate into. */
    public static final String LR = "lr";

    private Trainer() {}

    /**
     * Trains {@code model} as its train block says (epochs, batch, seed, shuffle, schedule, early
     * stopping) on the block's data sets, files relative to the working directory.
     *
     * @throws IllegalStateException when the train block names no training data
     */
    public static TrainResult fit(TrainableModel model, TrainListener listener) {
        TrainBlock block = model.trainBlock();
        Path here = Path.of("");
        return fit(model, block.trainingData(here), block.validationData(here), listener);
    }

    /** Trains {@code model} on {@code train} as its train block says, without validation or listener. */
    public static TrainResult fit(TrainableModel model, Dataset train) {
        return fit(model, train, null, TrainListener.NONE);
    }

    /**
     * Trains {@code model} on {@code train} as its train block says (epochs, batch, seed, shuffle,
     * schedule, early stopping), evaluating on {@code validation} (nullable) after each epoch.
     */
    public static TrainResult fit(TrainableModel model, Dataset train, Dataset validation, TrainListener listener) {
        TrainBlock block = model.trainBlock();
        if (block.fullBatch() && train.rows() > model.maxBatch())
            throw new IllegalArgumentException("model " + model.info().name() + " uses " + block.optimizer() + ", which steps once per epoch on all "
                    + train.rows() + " training rows: create it with maxBatch >= " + train.rows() + " (it has " + model.maxBatch() + ")");
        return fit(model, train, validation, block.options(train.rows()), listener);
    }

    /**
     * Trains {@code model} on {@code train}, evaluating on {@code validation} (nullable) after each epoch.
     * A model whose train block has a schedule ({@link TrainableModel}) follows it when {@code opts} has none.
     *
     * @throws TrainingDivergedException unless {@code opts.numerics()} is off: when a step's loss is NaN or infinite, a
     *                                   parameter or optimiser state is at the end of an epoch or before a checkpoint, or the
     *                                   validation loss is (in full mode also when a kernel produces such a value)
     * @throws nnc.runtime.data.DataException when a data set does not fit the model
     * @throws nnc.runtime.io.SafeTensorsException when a checkpoint cannot be written, or read to resume
     */
    public static TrainResult fit(CompiledModel model, Dataset train, Dataset validation, TrainOptions opts,
                                  TrainListener listener) {
        if (opts.batch() > model.maxBatch()) {
            throw new IllegalArgumentException("batch " + opts.batch() + " is larger than the model's maxBatch " + model.maxBatch());
        }
        int n = train.rows();
        if (n == 0) throw new IllegalArgumentException("the training set is empty");
        BatchFeeder feeder = new BatchFeeder(model, train);
        if (validation != null) new BatchFeeder(model, validation); // fail before training, not after the first epoch
        int batch = opts.batch();
        int stepsPerEpoch = (n + batch - 1) / batch;
        boolean readsLr = model.info().find(LR).filter(t -> t.role() == Role.STATE).isPresent();
        LrSchedule given = opts.schedule() == null && readsLr && model instanceof TrainableModel t ? t.trainBlock().lrSchedule() : opts.schedule();
        LrSchedule schedule = given != null && !given.isConstant() ? given.forRun((long) stepsPerEpoch * opts.epochs()) : null;
        if (schedule != null && !readsLr)
            throw new IllegalArgumentException("a schedule needs a model compiled with a scheduled learning rate (state " + LR + ")");
        if (schedule == null && readsLr)
            throw new IllegalArgumentException("model " + model.info().name() + " reads its learning rate from state " + LR
                    + " (its train block has a schedule): pass the schedule with TrainOptions.withSchedule");
        EarlyStopping stopping = opts.earlyStopping();
        Accuracy accuracy = Metrics.of(model.info()).accuracy();
        long maxCorrect = accuracy == null ? 0 : (long) n * accuracy.positions();
        RunState st = opts.resumeDir() != null ? Checkpoint.read(opts.resumeDir(), model, opts, n, stepsPerEpoch, maxCorrect) : new RunState();
        boolean checks = opts.numerics() != Numerics.Mode.OFF;
        int[] order = new int[n];
        PartitionedRows placed = model instanceof PartitionedRows pr ? pr : null;
        if (placed != null) placed.begin(train, batch);
        List<EpochStats> history = new ArrayList<>();
        long trainNanos = 0, rowsTrained = 0;
        boolean stopped = false, halted = false;
        while (st.epoch < opts.epochs() && !stopped && !halted) {
            int epoch = st.epoch + 1;
            if (placed != null) placed.fillOrder(order, opts.seed(), epoch, opts.shuffle());
            else EpochOrder.fill(order, opts.seed(), epoch, opts.shuffle());
            long start = System.nanoTime();
            int firstStep = st.stepInEpoch;
            for (int s = firstStep; s < stepsPerEpoch; s++) {
                int from = s * batch;
                int b = Math.min(batch, n - from);
                feeder.feed(order, from, b);
                if (placed != null) placed.stepRows(order, from, b);
                if (schedule != null) model.floats(LR)[model.offset(LR)] = schedule.lr(st.steps);
                try {
                    model.trainStep(b);
                } catch (NonFiniteValueException e) { // --check-numerics=full: a kernel's output
                    throw Divergence.inKernel(e, epoch, s + 1, stepsPerEpoch, st.steps + 1);
                }
                st.steps++;
                st.stepInEpoch = s + 1;
                float loss = model.loss();
                if (!Float.isFinite(loss) && checks) throw Divergence.loss(model, b, epoch, s + 1, stepsPerEpoch, st.steps, loss);
                st.lossSum += (double) loss * b;
                if (accuracy != null) st.correct += accuracy.correct(model, b);
                listener.stepEnd(epoch, s + 1, stepsPerEpoch, loss);
                if (opts.checkpointDir() != null && opts.checkpointEvery() > 0 && st.steps % opts.checkpointEvery() == 0 && s + 1 < stepsPerEpoch) {
                    if (checks) Divergence.checkParameters(model, epoch, st.steps);
                    Checkpoint.write(opts.checkpointDir(), model, st, opts, n);
                }
            }
            long nanos = System.nanoTime() - start;
            int rowsThisCall = n - Math.min(n, firstStep * batch);
            trainNanos += nanos;
            rowsTrained += rowsThisCall;
            if (checks) Divergence.checkParameters(model, epoch, st.steps);
            EvalResult val = validation == null ? null : evaluate(model, validation, batch);
            if (checks) Divergence.checkValidation(val, epoch);
            double seconds = nanos / 1e9;
            EpochStats stats = new EpochStats(epoch, st.lossSum / n,
                    accuracy == null ? Double.NaN : (double) st.correct / ((long) n * accuracy.positions()),
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                    seconds, rowsThisCall / seconds, val == null ? Double.NaN : val.topK());
            history.add(stats);
            st.history.add(stats);
            if (stopping != null) stopped = track(stopping, stats, st, model);
            st.epoch = epoch;
            st.startEpoch();
            if (opts.checkpointDir() != null) Checkpoint.write(opts.checkpointDir(), model, st, opts, n);
            listener.epochEnd(stats);
            halted = !stopped && st.epoch < opts.epochs() && listener.stopRequested();
        }
        boolean restore = stopping != null && st.bestModel != null && st.bestEpoch != st.epoch;
        if (restore) ModelTensors.loadTrained(model, TensorFile.of("the best epoch's model", st.bestModel), "");
        EvalResult finalVal = validation == null ? null : evaluate(model, validation, batch);
        double trainAccuracy = accuracy == null ? Double.NaN : evaluate(model, train, batch).accuracy();
        double finalLoss = history.isEmpty() ? Double.NaN
                : restore ? trainLoss(st.history, st.bestEpoch) : history.get(history.size() - 1).trainLoss();
        double samplesPerSecond = trainNanos == 0 ? Double.NaN : rowsTrained / (trainNanos / 1e9);
        return new TrainResult(finalLoss, trainAccuracy, finalVal == null ? Double.NaN : finalVal.loss(),
                finalVal == null ? Double.NaN : finalVal.accuracy(), st.steps, samplesPerSecond, history,
                stopping == null ? 0 : st.bestEpoch, stopped, st.history, halted);
    }

    /** The training loss of {@code epoch} in {@code history} (NaN if it is not there). */
    private static double trainLoss(List<EpochStats> history, int epoch) {
        return history.stream().filter(e -> e.epoch() == epoch).mapToDouble(EpochStats::trainLoss).findFirst().orElse(Double.NaN);
    }

    /** Early stopping after an epoch: remembers the best model (parameters and inference state); true when patience has run out. */
    private static boolean track(EarlyStopping stopping, EpochStats stats, RunState st, CompiledModel model) {
        double v = stopping.value(stats);
        if (stopping.improves(v, st.best)) {
            st.best = v;
            st.bestEpoch = stats.epoch();
            st.wait = 0;
            st.bestModel = ModelTensors.trained(model);
            return false;
        }
        st.wait++;
        return st.wait >= stopping.patience();
    }

    /** Runs {@code model.evaluate} over all rows of {@code data} in order, {@code batch} rows at a time. */
    public static EvalResult evaluate(CompiledModel model, Dataset data, int batch) {
        if (batch < 1 || batch > model.maxBatch())
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + model.maxBatch());
        BatchFeeder feeder = new BatchFeeder(model, data);
        Metrics metrics = Metrics.of(model.info());
        Accuracy accuracy = metrics.accuracy();
        TopK topK = metrics.topK();
        int n = data.rows();
        double lossSum = 0;
        long correct = 0, topKCorrect = 0;
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            feeder.feedRange(from, b);
            model.evaluate(b);
            lossSum += (double) model.loss() * b;
            if (accuracy != null) correct += accuracy.correct(model, b);
            if (topK != null) topKCorrect += topK.correct(model, b);
        }
        double acc = accuracy == null || n == 0 ? Double.NaN : (double) correct / ((long) n * accuracy.positions());
        double top = topK == null || n == 0 ? Double.NaN : (double) topKCorrect / ((long) n * topK.positions());
        return new EvalResult(n == 0 ? Double.NaN : lossSum / n, acc, top);
    }
}
