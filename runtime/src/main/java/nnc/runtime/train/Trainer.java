package nnc.runtime.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;

/**
 * The mini-batch training loop. Each epoch visits every training row once, in a permutation drawn
 * from a {@link SplittableRandom} seeded by (seed, epoch) when shuffling, else in order; the last
 * batch of an epoch takes the remaining rows. A run is a pure function of the model's starting
 * state, the data and the options: the same inputs give bitwise the same losses.
 *
 * <p>{@code fit} does not initialise parameters (see {@code ParamInit}), so it can also continue
 * training a model.
 */
public final class Trainer {
    private Trainer() {}

    /**
     * Trains {@code model} on {@code train}, evaluating on {@code validation} (nullable) after each epoch.
     *
     * @throws TrainingDivergedException when a step's loss is NaN or infinite
     * @throws nnc.runtime.data.DataException when a data set does not fit the model
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
        Accuracy accuracy = Metrics.of(model.info()).accuracy();
        int batch = opts.batch();
        int stepsPerEpoch = (n + batch - 1) / batch;
        int[] order = new int[n];
        List<EpochStats> history = new ArrayList<>();
        long steps = 0;
        long trainNanos = 0;
        EvalResult val = null;
        for (int epoch = 1; epoch <= opts.epochs(); epoch++) {
            for (int i = 0; i < n; i++) order[i] = i;
            if (opts.shuffle()) shuffle(order, new SplittableRandom(mix(opts.seed()) ^ mix(0x5eed_0000L + epoch)));
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                int from = s * batch;
                int b = Math.min(batch, n - from);
                feeder.feed(order, from, b);
                model.trainStep(b);
                steps++;
                float loss = model.loss();
                if (!Float.isFinite(loss)) throw new TrainingDivergedException(epoch, s + 1, stepsPerEpoch, steps, loss);
                lossSum += (double) loss * b;
                if (accuracy != null) correct += accuracy.correct(model, b);
                listener.stepEnd(epoch, s + 1, stepsPerEpoch, loss);
            }
            long nanos = System.nanoTime() - start;
            trainNanos += nanos;
            val = validation == null ? null : evaluate(model, validation, batch);
            double seconds = nanos / 1e9;
            history.add(new EpochStats(epoch, lossSum / n,
                    accuracy == null ? Double.NaN : (double) correct / ((long) n * accuracy.positions()),
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                    seconds, n / seconds));
            listener.epochEnd(history.get(history.size() - 1));
        }
        double trainAccuracy = accuracy == null ? Double.NaN : evaluate(model, train, batch).accuracy();
        double finalLoss = history.isEmpty() ? Double.NaN : history.get(history.size() - 1).trainLoss();
        double samplesPerSecond = trainNanos == 0 ? Double.NaN : (double) n * opts.epochs() / (trainNanos / 1e9);
        return new TrainResult(finalLoss, trainAccuracy, val == null ? Double.NaN : val.loss(),
                val == null ? Double.NaN : val.accuracy(), steps, samplesPerSecond, history);
    }

    /** Runs {@code model.evaluate} over all rows of {@code data} in order, {@code batch} rows at a time. */
    public static EvalResult evaluate(CompiledModel model, Dataset data, int batch) {
        if (batch < 1 || batch > model.maxBatch())
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + model.maxBatch());
        BatchFeeder feeder = new BatchFeeder(model, data);
        Accuracy accuracy = Metrics.of(model.info()).accuracy();
        int n = data.rows();
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            feeder.feedRange(from, b);
            model.evaluate(b);
            lossSum += (double) model.loss() * b;
            if (accuracy != null) correct += accuracy.correct(model, b);
        }
        double acc = accuracy == null || n == 0 ? Double.NaN : (double) correct / ((long) n * accuracy.positions());
        return new EvalResult(n == 0 ? Double.NaN : lossSum / n, acc);
    }

    /** Fisher–Yates. */
    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
