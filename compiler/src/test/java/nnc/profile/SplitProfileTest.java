package nnc.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import nnc.driver.Backend;
import nnc.emit.DeepMlp;
import nnc.emit.GeneratedClassLoader;
import nnc.emit.ModelPlan;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.InMemoryJavaCompiler;
import nnc.emit.java.JavaSourceEmitter;
import nnc.emit.load.CodeGenerator;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.GeneratedModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiling a class whose train entry calls its kernels through chunk methods in nested classes
 * ({@code ClassSplit}): every call is timed in its own slot, on both back ends, and the bits are
 * those of the unprofiled class; a profiled step allocates nothing.
 */
class SplitProfileTest {
    static final int BATCH = 8;

    @Test
    void aSplitClassTimesEveryCall(@TempDir Path dir) {
        KernelProgram program = new DeepMlp(63, true).stages(dir).program();
        ModelPlan split = ModelPlan.of(program, 1500);
        assertTrue(split.split().holders().size() >= 2, "nested classes");
        int calls = program.entry("train").kernels().size();
        GeneratedModel bytecode = (GeneratedModel) step(CodeGenerator.instantiate(GeneratedClassLoader.define("nnc.generated.ProfiledSplit63",
                BytecodeEmitter.emitAll(split, "nnc/generated/ProfiledSplit63", true, false, true)), BATCH));
        GeneratedModel java = (GeneratedModel) step(CodeGenerator.instantiate(InMemoryJavaCompiler.compile("nnc.generated.ProfiledSplitJava63",
                JavaSourceEmitter.emit(split, "nnc.generated", "ProfiledSplitJava63", true, false, true)), BATCH));
        CompiledModel whole = step(CodeGenerator.BYTECODE.build(program, "nnc.generated.Unprofiled63", BATCH));
        for (GeneratedModel m : new GeneratedModel[] {bytecode, java}) {
            assertEquals(calls, m.kernelNanos().length);
            for (int slot = 0; slot < calls; slot++) assertTrue(m.kernelNanos()[slot] > 0, "slot " + slot + " timed");
            assertBitwiseAlike(whole, m);
        }
    }

    /** Ten times the steps allocate no more than a few steps plus a little: the clock readings allocate nothing. */
    @Test
    void aProfiledStepAllocatesNothing() {
        GeneratedModel m = SampleModules.stages("fashion_mlp").profiled(Backend.BYTECODE, BATCH, false);
        ParamInit.initialize(m, 1);
        SampleModules.feed(m, BATCH, new SplittableRandom(1));
        steps(m, 200); // warm-up
        // on a busy machine the JIT may still be compiling after the warm-up (code not yet compiled
        // allocates what C2 later removes); an allocation of the steady state shows in every round
        StringBuilder seen = new StringBuilder();
        long extra = Long.MAX_VALUE;
        for (int round = 0; round < 10 && extra >= 4_000; round++) {
            long few = steps(m, 50), many = steps(m, 500);
            extra = many - few;
            seen.append(few).append(" bytes in 50 steps, ").append(many).append(" in 500; ");
        }
        assertTrue(extra < 4_000, seen.toString());
    }

    private static long steps(CompiledModel m, int n) {
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = bean.getThreadAllocatedBytes(id);
        for (int s = 0; s < n; s++) m.trainStep(BATCH);
        return bean.getThreadAllocatedBytes(id) - before;
    }

    private static CompiledModel step(CompiledModel m) {
        ParamInit.initialize(m, 42);
        SampleModules.feed(m, BATCH, new SplittableRandom(9));
        for (int s = 0; s < 3; s++) m.trainStep(BATCH);
        return m;
    }

    private static void assertBitwiseAlike(CompiledModel expected, CompiledModel actual) {
        for (TensorSpec t : expected.info().tensors()) {
            if (t.role() == Role.INPUT || t.role() == Role.TARGET) continue;
            float[] a = expected.floats(t.name()), b = actual.floats(t.name());
            for (int k = 0; k < t.elementCount(BATCH); k++)
                assertEquals(Float.floatToIntBits(a[k]), Float.floatToIntBits(b[k]), t.name() + "[" + k + "]");
        }
    }
}
