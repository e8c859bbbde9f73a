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
        return j.put("steps", r.steps())
                .put("samples_per_s", r.samplesPerSecond())
                .put("backend", backend)
                .put("epochs_run", r.history().size())
                .put("best_epoch", r.bestEpoch() == 0 ? null : r.bestEpoch())
                .put("stopped_early", r.stoppedEarly())
                .toString();
    }
}
