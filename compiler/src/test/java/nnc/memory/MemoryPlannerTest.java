package nnc.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import nnc.driver.Backend;
import nnc.driver.KernelPipeline;
import nnc.ir.IrModule;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.kir.KernelAccess;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The memory plan changes no result bit: on every sample, the planned program run by both
 * emitters gives exactly the parameters, state, outputs and loss of the unplanned one (train steps,
 * then evaluate and predict); and the arena is at most half of one buffer per value for the MLPs.
 */
class MemoryPlannerTest {
    static List<String> samples() { return SampleModules.names(); }

    static Path mlp512() { return SampleModules.samplesDir().getParent().resolve("compiler/src/test/resources/memory/mlp_784_512_512_10.nn"); }

    @ParameterizedTest
    @MethodSource("samples")
    void plannedRunsBitwiseLikeUnplanned(String sample) {
        IrModule module = SampleModules.stages(sample).optimized();
        KernelProgram plain = beforeMemoryPlan(module);
        KernelProgram planned = new MemoryPlanner().run(plain);
        assertTrue(planned.slots().stream().distinct().count() < plain.buffers().size(), sample + ": nothing shared");
        SampleModules.assertBitwiseLike(plain, planned, sample);
    }

    /** {@code module}'s kernels as the memory-plan pass gets them in the standard kernel pipeline. */
    static KernelProgram beforeMemoryPlan(IrModule module) {
        KernelPipeline pipeline = KernelPipeline.standard();
        int at = pipeline.names().indexOf("memory-plan");
        KernelProgram scheduled = pipeline.schedule(module);
        return at == 0 ? scheduled : pipeline.runAll(scheduled).get(at - 1);
    }

    @Test
    void fashionMlpArenaIsAtMostHalfOfOneBufferPerValue() {
        assertAtMostHalf(SampleModules.stages("fashion_mlp").optimized());
    }

    @Test
    void mlp784x512x512x10ArenaIsAtMostHalfOfOneBufferPerValue() {
        assertAtMostHalf(SampleModules.stagesOf(mlp512()).optimized());
    }

    private static void assertAtMostHalf(IrModule module) {
        MemoryPlan plan = new MemoryPlan(Backend.program(module));
        long arena = plan.arenaBytes(64), naive = MemoryPlan.oneBufferPerValueBytes(module, 64);
        assertTrue(arena < plan.unsharedBytes(64), module.name() + ": sharing saves nothing");
        assertTrue(arena * 2 <= naive, module.name() + ": arena " + arena + " B vs one buffer per value " + naive + " B");
    }

    @Test
    void somePointwiseKernelWritesInPlaceOverAnInputThatDiesThere() {
        KernelProgram p = SampleModules.stages("resnet_s").program();
        int inPlace = 0;
        for (Kernel k : p.entry("train").kernels())
            if (k instanceof Kernel.Pointwise pw && pw.out().isTemp())
                for (Buffer in : KernelAccess.reads(k)) if (in != pw.out() && p.slotOf(in) == p.slotOf(pw.out())) inPlace++;
        assertTrue(inPlace > 0, "no kernel writes over its own input");
    }

    @Test
    void namedTensorsKeepTheirOwnStorage() {
        KernelProgram p = SampleModules.stages("fashion_mlp").program();
        for (Buffer b : p.buffers()) {
            if (b.isTemp()) continue;
            for (Buffer o : p.buffers()) if (o != b) assertTrue(p.slotOf(o) != p.slotOf(b), b + " shares with " + o);
        }
    }
}
