package nnc.optim;

import nnc.runtime.train.LrSchedule;

/** The runtime learning-rate schedule a train configuration asks for. */
public final class Schedules {
    private Schedules() {}

    /**
     * The schedule of {@code cfg} with its optimiser's {@code lr} as the base rate.
     *
     * @param totalSteps the number of steps of the whole run (cosine decays over them by default)
     */
    public static LrSchedule of(TrainConfig cfg, long totalSteps) {
        double lr = cfg.optimizerOptions().getOrDefault("lr", OptimizerCatalog.named(cfg.optimizer()).defaults().get("lr"));
        TrainConfig.Schedule s = cfg.schedule();
        return LrSchedule.of(s.name(), s.options(), lr, totalSteps);
    }
}
