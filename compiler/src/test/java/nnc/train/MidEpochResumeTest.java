package nnc.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import nnc.cli.Run;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.ir.IrModule;
import nnc.optim.Schedules;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EpochStats;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that dies in the middle of an epoch, resumed from its last every-N-steps checkpoint,
 * ends with bitwise the parameters and epoch losses of the run that was never interrupted
 * (through the runtime API, as an embedding application would use it).
 */
class MidEpochResumeTest {
    @TempDir Path tmp;

    private static final class Crash extends RuntimeException {}

    @Test
    void resumeFromTheMiddleOfAnEpochIsBitwiseTheUninterruptedRun() throws Exception {
        Path file = Run.playground(tmp, "m", 3, SaveAndResumeTest.TRAIN + "  epochs 3");
        Compilation compilation = Compilation.of(file);
        TrainConfig cfg = compilation.train();
        IrModule module = compilation.optimized();
        Dataset data = Datasets.load(cfg.data(), tmp, cfg.seed());
        int stepsPerEpoch = (data.rows() + cfg.batch() - 1) / cfg.batch();
        TrainOptions opts = new TrainOptions(3, cfg.batch(), cfg.seed(), true).withSchedule(Schedules.of(cfg, 3L * stepsPerEpoch));

        CompiledModel whole = fresh(module, cfg);
        TrainResult uninterrupted = Trainer.fit(whole, data, null, opts, TrainListener.NONE);

        Path ck = tmp.resolve("ck");
        CompiledModel first = fresh(module, cfg);
        TrainListener dies = new TrainListener() {
            @Override public void epochEnd(EpochStats stats) { }
            @Override public void stepEnd(int epoch, int step, int stepsPerEpoch, float loss) {
                if (epoch == 2 && step == 10) throw new Crash();
            }
        };
        assertThrows(Crash.class, () -> Trainer.fit(first, data, null, opts.withCheckpoints(ck, 7), dies));
        var meta = SafeTensors.read(Checkpoint.file(ck)).metadata();
        assertEquals("1", meta.get("nnc.epoch"));
        assertEquals("9", meta.get("nnc.step_in_epoch"), "step 28 = 19 + 9, the last multiple of 7 before the crash at step 29");
        assertEquals("28", meta.get("nnc.steps"));

        CompiledModel second = fresh(module, cfg);
        TrainResult resumed = Trainer.fit(second, data, null, opts.withResume(ck), TrainListener.NONE);
        assertEquals(ModelTensors.params(whole), ModelTensors.params(second));
        assertEquals(uninterrupted.steps(), resumed.steps());
        assertEquals(List.of(2, 3), resumed.history().stream().map(EpochStats::epoch).toList());
        for (int i = 0; i < 2; i++) {
            assertEquals(uninterrupted.history().get(i + 1).trainLoss(), resumed.history().get(i).trainLoss(), "epoch " + (i + 2) + " loss");
            assertEquals(uninterrupted.history().get(i + 1).trainAccuracy(), resumed.history().get(i).trainAccuracy());
        }
    }

    private static CompiledModel fresh(IrModule module, TrainConfig cfg) {
        CompiledModel m = Backend.BYTECODE.create(module, cfg.batch());
        ParamInit.initialize(m, cfg.seed());
        return m;
    }
}
