package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.optim.TrainConfig;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.Test;

/**
 * A scan is a real loop, not an unrolled copy per step: the train step of the hand-written RNN has
 * the same kernels whatever the sequence length, one forward loop and one reverse loop of that many
 * steps, and the loops' bodies hold the step's matrix products (DSL.md §9).
 */
class LoopScheduleTest {
    static KernelProgram schedule(String sample, long time) {
        Compilation c = Compilation.of(SampleModules.samplesDir().resolve(sample + ".nn"), Compilation.Options.DEFAULT.withTime(time));
        return c.program();
    }

    static List<Kernel.Loop> loops(KernelProgram p, String entry) {
        List<Kernel.Loop> out = new ArrayList<>();
        for (Kernel k : p.entry(entry).kernels()) if (k instanceof Kernel.Loop l) out.add(l);
        return out;
    }

    @Test
    void theKernelsDoNotGrowWithTheSequenceLength() {
        for (String sample : List.of("char_rnn", "sentiment")) {
            KernelProgram short8 = schedule(sample, 8), long64 = schedule(sample, 64);
            for (String entry : List.of("train", "evaluate", "predict"))
                assertEquals(short8.kernelCount(entry), long64.kernelCount(entry), sample + " " + entry);
            List<Kernel.Loop> loops = loops(long64, "train");
            assertEquals(2, loops.size(), sample + ": a forward and a backward loop");
            assertTrue(!loops.get(0).reverse() && loops.get(1).reverse(), sample + ": the backward loop runs in reverse");
            for (Kernel.Loop l : loops) {
                assertEquals(64, l.steps(), sample);
                assertTrue(l.body().stream().anyMatch(k -> k instanceof Kernel.MatMul || k instanceof Kernel.WithEpilogue w && w.head() instanceof Kernel.MatMul),
                        sample + ": the recurrent product is in the loop");
            }
            assertEquals(1, loops(long64, "evaluate").size(), sample + ": inference runs the forward loop only");
        }
    }

    /**
     * An LSTM step reads its gates in place (no reduction picks a gate out of the step's product) and
     * its cell and hidden-state kernels run as one fused loop nest, each with the layer's .nn line.
     */
    @Test
    void anLstmStepReadsItsGatesInPlaceAndFusesItsCell() {
        KernelProgram p = schedule("sentiment", 16);
        for (Kernel.Loop l : loops(p, "train")) {
            assertTrue(l.body().stream().noneMatch(k -> k instanceof Kernel.Reduce), "no gate is a reduction:\n" + l.body());
            assertTrue(l.body().stream().anyMatch(k -> k instanceof Kernel.Fused), "the step's pointwise kernels merge:\n" + l.body());
            for (Kernel k : l.body()) if (!(k instanceof Kernel.StepCopy)) assertTrue(p.lines().of(k) > 0, k + " has a line");
            assertTrue(p.lines().of(l) > 0, "the loop has a line");
        }
    }
}
