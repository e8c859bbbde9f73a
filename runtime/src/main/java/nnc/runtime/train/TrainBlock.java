package nnc.runtime.train;

import java.nio.file.Path;
import java.util.Map;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.data.Normalization;

/**
 * A model's train block as its {@code .nn} file writes it, defaults filled in: what a generated
 * trainer carries so that {@link Trainer#fit(TrainableModel, Dataset)} trains as {@code nnc train}
 * does. The optimiser and the clipping are compiled into the train step; the rest drives the loop.
 *
 * @param optimizer        {@code sgd}, {@code adam}, ... (compiled in)
 * @param optimizerOptions every option of the optimiser, defaults filled in ({@code lr}, ...)
 * @param fullBatch        the optimiser steps once per epoch on the whole training set ({@code gd})
 * @param clipping         gradient clipping as written, e.g. {@code norm 1.0} (compiled in), or null
 * @param epochs           passes over the training set
 * @param batch            rows per step
 * @param seed             seeds initialisation, synthetic data and shuffling
 * @param shuffle          visit rows in a fresh permutation every epoch
 * @param schedule         the learning-rate schedule's kind: {@code constant}, {@code step}, {@code exponential}, {@code cosine}
 * @param scheduleOptions  its options as written
 * @param earlyStopping    early stopping, or null
 * @param data             the training set's source, or null when the file names none
 * @param validate         the validation set's source, or null
 */
public record TrainBlock(String optimizer, Map<String, Double> optimizerOptions, boolean fullBatch, String clipping,
                         int epochs, int batch, long seed, boolean shuffle, String schedule, Map<String, Double> scheduleOptions,
                         EarlyStopping earlyStopping, DataSpec data, DataSpec validate) {
    public TrainBlock {
        optimizerOptions = Map.copyOf(optimizerOptions);
        scheduleOptions = Map.copyOf(scheduleOptions);
        if (epochs < 0 || batch < 1) throw new IllegalArgumentException("bad train block: epochs " + epochs + ", batch " + batch);
    }

    /** The learning-rate schedule, its length the run's when the block gives none. */
    public LrSchedule lrSchedule() {
        return LrSchedule.of(schedule, scheduleOptions, optimizerOptions.getOrDefault("lr", 0.01));
    }

    /** The rows per step on a training set of {@code rows}: the block's batch, all rows with a full-batch optimiser, never more than the rows. */
    public int batchFor(int rows) {
        return Math.max(1, Math.min(fullBatch ? rows : batch, rows));
    }

    /** The options {@link Trainer#fit} runs with for a training set of {@code rows}: epochs, batch, seed, shuffle, schedule, early stopping. */
    public TrainOptions options(int rows) {
        TrainOptions o = new TrainOptions(epochs, batchFor(rows), seed, shuffle).withSchedule(lrSchedule());
        return earlyStopping == null ? o : o.withEarlyStopping(earlyStopping);
    }

    /**
     * The training set the block names, files relative to {@code baseDir}, drawn with the block's
     * seed as {@code nnc train} draws it.
     *
     * @throws IllegalStateException when the block names no training data
     */
    public Dataset trainingData(Path baseDir) {
        if (data == null) throw new IllegalStateException("the train block names no training data (a line such as `data circles(n = 1000)`)");
        return Datasets.load(data, baseDir, seed, statistics(baseDir));
    }

    /** The validation set the block names (seed + 1, standardised with the training data's statistics), or null. */
    public Dataset validationData(Path baseDir) {
        return validate == null ? null : Datasets.load(validate, baseDir, seed + 1, statistics(baseDir));
    }

    private Normalization statistics(Path baseDir) {
        return data == null ? null : Datasets.statistics(data, baseDir, seed);
    }
}
