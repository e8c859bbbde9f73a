package nnc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.ir.IrModule;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;

/**
 * Resuming a training run from arbitrary bytes as its {@code last.safetensors}: the checkpoint
 * reader (safetensors, then the run's metadata, then the model's tensors and the early-stopping
 * copy) and, when it accepts the file, the rest of the run. Property: a
 * {@link nnc.runtime.io.SafeTensorsException} naming the file (or a diverged run), or a finished run.
 * Seeds: checkpoints of {@link #MODEL} written by the trainer mid-epoch and at an epoch's end
 * ({@code CheckpointFuzzTestInputs/resume}), from {@link SeedCorpus}.
 */
class CheckpointFuzzTest {
    /** Logistic regression with Adam (so the checkpoint holds optimiser state too). */
    static final String MODEL = """
            model Tiny {
              input  x: f32[batch, 2]
              target y: f32[batch, 1]
              param  w: f32[2, 1] = zeros
              param  b: f32[1]    = zeros
              output p = sigmoid(x @ w + b)
              loss   bce(p, y)
            }
            train {
              optimizer adam(lr = 0.1)
            }
            """;
    static final int ROWS = 6;
    static final int BATCH = 4;

    private static final IrModule MODULE = compile();
    private static final Path DIR = UserFacing.scratch("checkpoint");
    private static final Path FILE = Checkpoint.file(DIR);

    static {
        FILE.toFile().deleteOnExit();
    }

    @FuzzTest
    void resume(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(FILE.toString(), () -> {
            Files.write(FILE, input);
            Trainer.fit(model(), data(), data(), options(3).withResume(DIR), TrainListener.NONE);
        });
    }

    /** The options of the checkpointed run, for {@code epochs} epochs. */
    static TrainOptions options(int epochs) {
        return new TrainOptions(epochs, BATCH, 7, true).withEarlyStopping(new EarlyStopping(5, "val_loss", 0));
    }

    /** A fresh model, parameters initialised. */
    static CompiledModel model() {
        CompiledModel m = Backend.INTERP.create(MODULE, BATCH);
        ParamInit.initialize(m, 7);
        return m;
    }

    /** Six rows, two features, a 0/1 target. */
    static Dataset data() {
        float[] x = {0, 1, 1, 0, 1, 1, 0, 0, 2, 1, -1, 0};
        float[] y = {1, 0, 1, 0, 1, 0};
        return Dataset.regression(x, new int[] {2}, y, 1);
    }

    private static IrModule compile() {
        return Compilation.of(new SourceFile("tiny.nn", MODEL)).optimized();
    }
}
