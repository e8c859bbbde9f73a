package nnc.runtime.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.io.Tensor;

/**
 * Where a training run is: what a checkpoint must hold, besides the model's tensors, to continue
 * it bitwise. The shuffle needs no generator state of its own: each epoch's permutation is drawn
 * from a generator seeded by (seed, epoch), so the seed and the epoch are the RNG state.
 */
final class RunState {
    /** Epochs completed. */
    int epoch;
    /** Steps completed within the current epoch. */
    int stepInEpoch;
    /** Steps completed in the whole run: the schedule's step counter. */
    long steps;
    /** The current epoch's running sums: loss × rows, and correct predictions. */
    double lossSum;
    long correct;
    /** Early stopping: the best monitored value (NaN before the first), its epoch, epochs since it. */
    double best = Double.NaN;
    int bestEpoch;
    int wait;
    /** Early stopping: the trained model after the best epoch (parameters and inference state), or null. */
    List<Tensor> bestModel;
    /** One entry per completed epoch of the whole run (also the epochs before a resume), for the report. */
    final List<EpochStats> history = new ArrayList<>();

    void startEpoch() {
        stepInEpoch = 0;
        lossSum = 0;
        correct = 0;
    }

    /** The state as safetensors metadata, exact (doubles as hexadecimal). */
    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nnc.epoch", Integer.toString(epoch));
        m.put("nnc.step_in_epoch", Integer.toString(stepInEpoch));
        m.put("nnc.steps", Long.toString(steps));
        m.put("nnc.loss_sum", Double.toHexString(lossSum));
        m.put("nnc.correct", Long.toString(correct));
        m.put("nnc.best", Double.toHexString(best));
        m.put("nnc.best_epoch", Integer.toString(bestEpoch));
        m.put("nnc.wait", Integer.toString(wait));
        m.put("nnc.history", EpochHistory.encode(history));
        return m;
    }

    /** Reads {@link #toMetadata()}'s keys; a missing or malformed one names the file and the key. */
    static RunState fromMetadata(Map<String, String> m, String file) {
        RunState s = new RunState();
        s.epoch = (int) integer(m, "nnc.epoch", file);
        s.stepInEpoch = (int) integer(m, "nnc.step_in_epoch", file);
        s.steps = integer(m, "nnc.steps", file);
        s.lossSum = real(m, "nnc.loss_sum", file);
        s.correct = integer(m, "nnc.correct", file);
        s.best = real(m, "nnc.best", file);
        s.bestEpoch = (int) integer(m, "nnc.best_epoch", file);
        s.wait = (int) integer(m, "nnc.wait", file);
        s.history.addAll(EpochHistory.decode(get(m, "nnc.history", file), file));
        return s;
    }

    /**
     * Rejects a state that no run of this configuration can reach (a hand-edited or corrupted
     * checkpoint), naming the file and the metadata key.
     *
     * @param maxCorrect the most correct predictions an epoch can count (rows × positions; 0 without an accuracy metric)
     */
    void checkFits(int epochs, int stepsPerEpoch, long maxCorrect, String file) {
        if (epoch > epochs)
            throw bad(file, "nnc.epoch", epoch + ", beyond the " + epochs + " epochs this run is configured for");
        if (stepInEpoch >= stepsPerEpoch)
            throw bad(file, "nnc.step_in_epoch", stepInEpoch + ", but an epoch has " + stepsPerEpoch + " steps");
        if (epoch == epochs && stepInEpoch > 0)
            throw bad(file, "nnc.step_in_epoch", stepInEpoch + ", but all " + epochs + " epochs are done");
        long expected = (long) epoch * stepsPerEpoch + stepInEpoch;
        if (steps != expected)
            throw bad(file, "nnc.steps", steps + ", but " + epoch + " epochs of " + stepsPerEpoch + " steps and " + stepInEpoch + " more make " + expected);
        if (!Double.isFinite(lossSum))
            throw bad(file, "nnc.loss_sum", lossSum + ", not a finite number");
        if (stepInEpoch == 0 && (lossSum != 0 || correct != 0))
            throw bad(file, lossSum != 0 ? "nnc.loss_sum" : "nnc.correct", (lossSum != 0 ? Double.toString(lossSum) : Long.toString(correct))
                    + ", but no step of the epoch is done (it must be 0)");
        if (correct > maxCorrect)
            throw bad(file, "nnc.correct", correct + ", more than the " + maxCorrect + " predictions an epoch makes");
        if (!Double.isNaN(best) && !Double.isFinite(best))
            throw bad(file, "nnc.best", best + ", not a finite number");
        if (bestEpoch > epoch)
            throw bad(file, "nnc.best_epoch", bestEpoch + ", beyond the " + epoch + " epochs done");
        if (wait > epoch)
            throw bad(file, "nnc.wait", wait + ", more than the " + epoch + " epochs done");
        if (history.size() != epoch)
            throw bad(file, "nnc.history", "a history of " + history.size() + " epochs, but nnc.epoch is " + epoch);
    }

    private static SafeTensorsException bad(String file, String key, String what) {
        return new SafeTensorsException(file, "inconsistent checkpoint: metadata " + key + " is " + what);
    }

    static String get(Map<String, String> m, String key, String file) {
        String v = m.get(key);
        if (v == null) throw new SafeTensorsException(file, "not an nnc checkpoint: metadata " + key + " is missing");
        return v;
    }

    private static long integer(Map<String, String> m, String key, String file) {
        try {
            long v = Long.parseLong(get(m, key, file));
            if (v < 0 || v > (key.equals("nnc.steps") || key.equals("nnc.correct") ? Long.MAX_VALUE : Integer.MAX_VALUE)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new SafeTensorsException(file, "metadata " + key + " is not a count: '" + m.get(key) + "'");
        }
    }

    private static double real(Map<String, String> m, String key, String file) {
        try {
            return Double.parseDouble(get(m, key, file));
        } catch (NumberFormatException e) {
            throw new SafeTensorsException(file, "metadata " + key + " is not a number: '" + m.get(key) + "'");
        }
    }
}
