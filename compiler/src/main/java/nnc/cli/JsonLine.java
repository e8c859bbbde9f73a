package nnc.cli;

import nnc.runtime.train.Json;
import nnc.runtime.train.TrainResult;

/** The one line of JSON {@code nnc train --json} ends with. */
final class JsonLine {
    private JsonLine() {}

    static String of(TrainResult r, String backend) {
        Json j = Json.object()
                .put("final_loss", r.finalLoss())
                .put("train_accuracy", r.trainAccuracy());
        if (!Double.isNaN(r.valAccuracy())) j.put("val_accuracy", r.valAccuracy()).put("val_loss", r.valLoss());
        var run = r.runHistory(); // the whole run's epochs, also those before a resume: bestEpoch counts them
        if (!run.isEmpty()) {
            // the epoch whose parameters the model ends with (early stopping restores the best one)
            var last = r.bestEpoch() > 0 && r.bestEpoch() <= run.size() ? run.get(r.bestEpoch() - 1) : run.get(run.size() - 1);
            if (!Double.isNaN(last.valTopK())) j.put("val_top_k_accuracy", last.valTopK());
        }
        return j.put("steps", r.steps())
                .put("samples_per_s", r.samplesPerSecond())
                .put("backend", backend)
                .put("epochs_run", r.history().size())
                .put("best_epoch", r.bestEpoch() == 0 ? null : r.bestEpoch())
                .put("stopped_early", r.stoppedEarly())
                .toString();
    }
}
