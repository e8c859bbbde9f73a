package nnc.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.io.ModelFiles;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.SplitEntries;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data-parallel class is one machine's model too: its own train step is the plain class's bit
 * for bit, and its files are one machine's files — its exchange state (the gradients and new
 * statistics its two entries pass) is scratch, never saved and never asked for — so a Spark run's
 * checkpoint resumes with {@code nnc train}, and the other way round, to the bits of a run that
 * never stopped.
 */
class SplitCheckpointTest {
    @TempDir Path dir;

    private static final Compilation BN_DROPOUT = LocalDataParallelTest.compile(LocalDataParallelTest.BN_DROPOUT);

    private static CompiledModel plain(Compilation c, Backend be, long seed) {
        CompiledModel m = c.compiled(be, c.train().batch(), true, Numerics.Mode.ON);
        ParamInit.initialize(m, seed);
        return m;
    }

    private static CompiledModel split(Compilation c, Backend be, long seed) {
        CompiledModel m = c.dataParallel(be, c.train().batch(), true, Numerics.Mode.ON).model();
        ParamInit.initialize(m, seed);
        return m;
    }

    /**
     * The split class's train entry shares the apply entry's node that advances dropout's step
     * counter; it once inherited the apply entry's in-place write and drew its masks from the new
     * counter (every parameter differed after two epochs on java and bytecode).
     */
    @ParameterizedTest
    @ValueSource(strings = {"java", "bytecode", "interp"})
    void splitClassTrainStepIsThePlainClassBitwise(String backendName) {
        Backend be = Backend.parse(backendName);
        for (String text : new String[] {LocalDataParallelTest.DROPOUT, LocalDataParallelTest.BN_DROPOUT}) {
            Compilation c = LocalDataParallelTest.compile(text);
            Dataset data = LocalDataParallelTest.data(c);
            TrainOptions opts = LocalDataParallelTest.options(c, data.rows());
            CompiledModel whole = plain(c, be, 11), split = split(c, be, 11);
            Trainer.fit(whole, data, null, opts, TrainListener.NONE);
            Trainer.fit(split, data, null, opts, TrainListener.NONE);
            assertSameRunState(whole, split);
        }
    }

    @Test
    void savedFilesHoldNoExchangeStateAndLoadEitherWay() {
        Compilation c = BN_DROPOUT;
        Dataset data = LocalDataParallelTest.data(c);
        CompiledModel split = split(c, Backend.BYTECODE, 11);
        Trainer.fit(split, data, null, LocalDataParallelTest.options(c, data.rows()), TrainListener.NONE);
        assertTrue(split.info().tensors().stream().anyMatch(t -> SplitEntries.isExchange(t.name())), "the split model has exchange state");

        Path file = dir.resolve("split.safetensors");
        ModelFiles.save(split, file, true);
        for (String name : SafeTensors.read(file).tensors().keySet()) assertFalse(SplitEntries.isExchange(name), name + " saved");
        CompiledModel plain = plain(c, Backend.BYTECODE, 99);
        ModelFiles.load(plain, file);
        assertSameRunState(split, plain);

        Path back = dir.resolve("plain.safetensors");
        ModelFiles.save(plain, back, true);
        CompiledModel split2 = split(c, Backend.BYTECODE, 99);
        ModelFiles.load(split2, back);
        assertSameRunState(plain, split2);
    }

    /** A checkpoint written mid-run by the split class, resumed by the plain class, ends as the uninterrupted run. */
    @Test
    void splitCheckpointResumesOnOneMachine() throws Exception {
        Compilation c = BN_DROPOUT;
        Dataset data = LocalDataParallelTest.data(c);
        TrainOptions opts = LocalDataParallelTest.options(c, data.rows());
        CompiledModel whole = plain(c, Backend.BYTECODE, 11);
        Trainer.fit(whole, data, null, opts, TrainListener.NONE);

        Path ck = Files.createDirectories(dir.resolve("ck"));
        Trainer.fit(split(c, Backend.BYTECODE, 11), data, null, opts.withCheckpoints(ck, 7), TrainListener.NONE);
        CompiledModel resumed = plain(c, Backend.BYTECODE, 99);
        Trainer.fit(resumed, data, null, opts.withResume(ck), TrainListener.NONE);
        assertSameRunState(whole, resumed);
    }

    private static void assertSameRunState(CompiledModel expected, CompiledModel actual) {
        int compared = 0;
        for (TensorSpec t : expected.info().tensors()) {
            if ((t.role() != Role.PARAM && t.role() != Role.STATE) || SplitEntries.isExchange(t.name())) continue;
            String name = t.name();
            boolean f = t.dtype() == DType.F32;
            for (int k = 0; k < t.elementCount(1); k++) {
                int a = f ? Float.floatToIntBits(expected.floats(name)[expected.offset(name) + k]) : expected.ints(name)[expected.offset(name) + k];
                int b = f ? Float.floatToIntBits(actual.floats(name)[actual.offset(name) + k]) : actual.ints(name)[actual.offset(name) + k];
                assertEquals(a, b, name + "[" + k + "]");
            }
            compared++;
        }
        assertTrue(compared >= 8, "compared " + compared + " tensors");
    }
}
