package nnc.spark;

import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.train.LrSchedule;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;
import nnc.runtime.train.TrainingDivergedException;

/**
 * The training loop for rows the driver never holds: epochs, the ownership's order of the rows
 * (seed, shuffle), the learning-rate schedule and the loss check as {@link Trainer#fit} does them,
 * each step run by a {@link PlacedEngine} on rows already placed on the executors
 * ({@link PlacedEngine#place}). No validation, early stopping, checkpoints or metrics: the
 * driver has no rows to compute them on.
 */
public final class PlacedTraining {
    private PlacedTraining() {}

    /** Trains {@code engine} on its placed rows as {@code opts} says; returns the number of steps. */
    public static long run(PlacedEngine engine, TrainOptions opts) {
        CompiledModel model = engine;
        if (engine.placed() == null) throw new IllegalStateException("no training rows placed");
        RowOwnership own = engine.placed().ownership();
        if (opts.batch() != own.batch())
            throw new IllegalArgumentException("batch " + opts.batch() + ", but the rows were placed for batches of " + own.batch());
        int steps = own.steps();
        boolean readsLr = model.info().find(Trainer.LR).filter(t -> t.role() == Role.STATE).isPresent();
        LrSchedule given = opts.schedule();
        LrSchedule schedule = given != null && !given.isConstant() ? given.forRun((long) steps * opts.epochs()) : null;
        if (schedule != null && !readsLr)
            throw new IllegalArgumentException("a schedule needs a model compiled with a scheduled learning rate (state " + Trainer.LR + ")");
        if (schedule == null && readsLr)
            throw new IllegalArgumentException("model " + model.info().name() + " reads its learning rate from state " + Trainer.LR
                    + ": pass the schedule with TrainOptions.withSchedule");
        int[] order = new int[own.rows()];
        long done = 0;
        for (int epoch = 1; epoch <= opts.epochs(); epoch++) {
            engine.fillOrder(order, opts.seed(), epoch, opts.shuffle());
            for (int s = 0; s < steps; s++) {
                int b = own.stepRows(s);
                if (schedule != null) model.floats(Trainer.LR)[model.offset(Trainer.LR)] = schedule.lr(done);
                engine.stepRows(order, s * own.batch(), b);
                engine.trainStep(b);
                done++;
                float loss = model.loss();
                if (!Float.isFinite(loss) && opts.numerics() != Numerics.Mode.OFF)
                    throw new TrainingDivergedException(epoch, s + 1, steps, done, loss);
            }
        }
        return done;
    }
}
