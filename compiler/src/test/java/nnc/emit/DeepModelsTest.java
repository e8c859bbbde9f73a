package nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import nnc.driver.Backend;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.InMemoryJavaCompiler;
import nnc.emit.java.JavaSourceEmitter;
import nnc.emit.load.CodeGenerator;
import nnc.ir.IrModule;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;

/**
 * Deep models compile whatever their depth: an MLP of 63 ReLU layers with Adam and a chain of 126
 * products with SGD (which once failed: the merged parameter updates of one kernel needed 254
 * buffers, more than a method takes), and 300 ReLU layers, train a step on every back end, java and
 * bytecode bitwise alike and the interpreter within rounding; no generated method takes more buffers
 * than a method allows or more bytecode than HotSpot compiles; and a class split into nested classes
 * (as a few thousand layers need: one class file holds 65535 constants) runs bitwise like one class.
 */
class DeepModelsTest {
    static final int BATCH = 8;

    @TempDir static Path dir;

    /** Each model's optimised module and scheduled, planned program, built once for all tests. */
    private record Built(IrModule module, KernelProgram program) {}

    private static final Map<String, Built> BUILT = new ConcurrentHashMap<>();

    private static Built built(int layers, boolean relu) {
        DeepMlp mlp = new DeepMlp(layers, relu);
        return BUILT.computeIfAbsent(mlp.name(), n -> {
            IrModule module = mlp.stages(dir).optimized();
            return new Built(module, Backend.program(module));
        });
    }

    /** Interpreter, bytecode and (but for 300 layers, whose javac run alone takes seconds) Java source. */
    @ParameterizedTest(name = "{0} layers, relu {1}")
    @CsvSource({"63, true", "126, false", "300, true"})
    void trainsOneStepOnEveryBackEnd(int layers, boolean relu) {
        IrModule module = built(layers, relu).module();
        KernelProgram program = built(layers, relu).program();
        CompiledModel bytecode = step(CodeGenerator.BYTECODE.build(program, "nnc.generated.Bytecode" + layers, BATCH));
        CompiledModel interp = step(Backend.INTERP.create(module, BATCH));
        float loss = bytecode.floats(IrModule.LOSS)[0], expected = interp.floats(IrModule.LOSS)[0];
        assertTrue(Float.isFinite(loss), "loss " + loss);
        assertEquals(expected, loss, 1e-5 * Math.abs(expected), "the interpreter's loss");
        if (layers < 300) assertBitwiseAlike(step(CodeGenerator.JAVA.build(program, "nnc.generated.Java" + layers, BATCH)), bytecode, "java vs bytecode");
    }

    /** Every method of every class both back ends make: parameters and bytecode within the JVM's limits. */
    @ParameterizedTest(name = "{0} layers, relu {1}")
    @CsvSource({"63, true", "126, false", "300, true"})
    void everyMethodFitsTheJvmsLimits(int layers, boolean relu) {
        KernelProgram program = built(layers, relu).program();
        List<byte[]> classes = new ArrayList<>(BytecodeEmitter.emitAll(ModelPlan.of(program), "gen/Deep", true).values());
        if (layers < 300) classes.addAll(InMemoryJavaCompiler.compileToBytes("gen.Deep", JavaSourceEmitter.emit(program, "gen", "Deep")).values());
        int methods = 0;
        for (byte[] c : classes)
            for (Map.Entry<String, Integer> m : ClassFiles.codeSizes(c).entrySet()) {
                methods++;
                int params = Type.getArgumentTypes(m.getKey().substring(m.getKey().indexOf('('))).length;
                assertTrue(params <= KernelMethod.MAX_BUFFER_PARAMS + 1, m.getKey() + " takes " + params + " parameters");
                assertTrue(m.getValue() < GeneratedClassChecksTest.HUGE_METHOD_LIMIT, m.getKey() + " has " + m.getValue() + " bytes of bytecode");
            }
        assertTrue(methods > 3 * layers, methods + " methods");
    }

    /**
     * A sum of 150 dense layers' outputs, whose chain of single-use additions (and their biases) once
     * fused into one expression reading 300 buffers, trains a step on every back end, each method
     * within the JVM's limits.
     */
    @Test
    void aLongSumOfLayersTrainsOnEveryBackEnd() throws IOException {
        StringBuilder sum = new StringBuilder("dense(x, 32)");
        for (int k = 1; k < 150; k++) sum.append(" + dense(x, 32)");
        Path file = Files.writeString(dir.resolve("Wide.nn"), "model Wide {\n  input x: f32[batch, 32]\n  target y: i32[batch]\n"
                + "  s = relu(" + sum + ")\n  output logits = dense(s, 4)\n  loss cross_entropy(logits, y)\n}\n");
        IrModule module = SampleModules.stagesOf(file).optimized();
        KernelProgram program = Backend.program(module);
        CompiledModel bytecode = step(CodeGenerator.BYTECODE.build(program, "nnc.generated.WideBytecode", BATCH));
        CompiledModel java = step(CodeGenerator.JAVA.build(program, "nnc.generated.WideJava", BATCH));
        CompiledModel interp = step(Backend.INTERP.create(module, BATCH));
        float loss = bytecode.floats(IrModule.LOSS)[0], expected = interp.floats(IrModule.LOSS)[0];
        assertTrue(Float.isFinite(loss), "loss " + loss);
        assertEquals(expected, loss, 1e-5 * Math.abs(expected), "the interpreter's loss");
        assertBitwiseAlike(java, bytecode, "java vs bytecode");
        for (Map.Entry<String, Integer> m : ClassFiles.codeSizes(BytecodeEmitter.emitAll(ModelPlan.of(program), "gen/Wide", true)).entrySet()) {
            int params = Type.getArgumentTypes(m.getKey().substring(m.getKey().indexOf('('))).length;
            assertTrue(params <= KernelMethod.MAX_BUFFER_PARAMS + 1 && m.getValue() < GeneratedClassChecksTest.HUGE_METHOD_LIMIT,
                    m.getKey() + ": " + params + " parameters, " + m.getValue() + " bytes");
        }
    }

    /**
     * A {@code scan} whose body is 100 layers deep uses 304 buffers in its loop's method (which
     * once failed): that method takes the buffer tables instead, and the model trains a step on every
     * back end; its kernel methods stay within HotSpot's limit, the loop's method (calls only) within
     * the class file's.
     */
    @Test
    void aDeepScanBodyTrainsOnEveryBackEnd() throws IOException {
        StringBuilder src = new StringBuilder("model DeepScan {\n  input tokens: i32[batch, time]\n  target next: i32[batch, time]\n");
        for (int k = 1; k <= 100; k++) src.append("  param W").append(k).append(": f32[32, 32] = xavier\n");
        src.append("  param U: f32[32, 32] = orthogonal\n  e = embedding(tokens, vocab = 10, dim = 32)\n")
                .append("  hs = scan h = zeros(batch, 32) over x_t in e {\n    a1 = tanh(x_t @ W1 + h @ U)\n");
        for (int k = 2; k <= 100; k++) src.append("    a").append(k).append(" = tanh(a").append(k - 1).append(" @ W").append(k).append(")\n");
        src.append("    h = a100\n  }\n  output logits = dense(hs, 10)\n  loss cross_entropy(logits, next)\n}\n")
                .append("train {\n  data sequence(n = 64, length = 4, vocab = 10, task = \"next\")\n  optimizer sgd(lr = 0.01)\n  batch 16\n  epochs 1\n  seed 1\n}\n");
        IrModule module = SampleModules.stagesOf(Files.writeString(dir.resolve("DeepScan.nn"), src)).optimized();
        KernelProgram program = Backend.program(module);
        assertTrue(ModelPlan.of(program).methods().stream().anyMatch(KernelMethod::takesTables), "a loop method taking the tables");
        CompiledModel bytecode = step(CodeGenerator.BYTECODE.build(program, "nnc.generated.ScanBytecode", BATCH));
        CompiledModel java = step(CodeGenerator.JAVA.build(program, "nnc.generated.ScanJava", BATCH));
        CompiledModel interp = step(Backend.INTERP.create(module, BATCH));
        float loss = bytecode.floats(IrModule.LOSS)[0], expected = interp.floats(IrModule.LOSS)[0];
        assertTrue(Float.isFinite(loss), "loss " + loss);
        assertEquals(expected, loss, 1e-5 * Math.abs(expected), "the interpreter's loss");
        assertBitwiseAlike(java, bytecode, "java vs bytecode");
        // the loop's own method only calls its body's methods: over HotSpot's limit it runs interpreted, the kernels compiled
        List<String> loops = ModelPlan.of(program).methods().stream().filter(KernelMethod::takesTables).map(KernelMethod::name).toList();
        for (Map.Entry<String, Integer> m : ClassFiles.codeSizes(BytecodeEmitter.emitAll(ModelPlan.of(program), "gen/DeepScan", true)).entrySet()) {
            int params = Type.getArgumentTypes(m.getKey().substring(m.getKey().indexOf('('))).length;
            int limit = loops.contains(m.getKey().substring(0, m.getKey().indexOf('('))) ? 65535 : GeneratedClassChecksTest.HUGE_METHOD_LIMIT;
            assertTrue(params <= KernelMethod.MAX_BUFFER_PARAMS + 1 && m.getValue() < limit, m.getKey() + ": " + params + " parameters, " + m.getValue() + " bytes");
        }
    }

    /** The estimate that decides a split is no lower than the constant pool the class really has. */
    @Test
    void theConstantEstimateBoundsTheClassFile() {
        KernelProgram program = built(300, true).program();
        ModelPlan plan = ModelPlan.of(program);
        assertTrue(!plan.split().isSplit(), "300 layers fit in one class");
        int pool = new ClassReader(BytecodeEmitter.emit(program, "gen/Deep300", true)).getItemCount();
        long estimate = ClassSplit.constants(plan.methods(), plan.entries());
        assertTrue(estimate >= pool && pool > 5000, "estimated " + estimate + " constants, the class file has " + pool);
    }

    /** Split into nested classes (here at a low estimate), both back ends run the 63-layer model bitwise as one class does. */
    @Test
    void aSplitClassRunsBitwiseLikeOneClass() {
        KernelProgram program = built(63, true).program();
        ModelPlan split = ModelPlan.of(program, 1500);
        assertTrue(split.split().holders().size() >= 2, split.split().holders().size() + " nested classes");
        Map<String, byte[]> classes = BytecodeEmitter.emitAll(split, "nnc/generated/Split63", true);
        long withVectors = split.split().holders().stream().filter(h -> h.methods().stream().anyMatch(KernelMethod::warmsUpWithScalarLoops)).count();
        assertEquals(split.split().holders().size() + 1 + withVectors, classes.size(), "the class, its holders and their Simd classes: " + classes.keySet());
        assertTrue(withVectors > 0 && classes.keySet().stream().allMatch(c -> !c.endsWith("$Simd") || c.contains("$Kernels")), classes.keySet().toString());
        for (byte[] c : classes.values()) assertTrue(new ClassReader(c).getItemCount() < 3000, "a nested class's constants");
        CompiledModel whole = step(CodeGenerator.BYTECODE.build(program, "nnc.generated.Whole63", BATCH));
        CompiledModel bytecode = step(CodeGenerator.instantiate(GeneratedClassLoader.define("nnc.generated.Split63", classes), BATCH));
        CompiledModel java = step(CodeGenerator.instantiate(InMemoryJavaCompiler.compile("nnc.generated.SplitJava63",
                JavaSourceEmitter.emit(split, "nnc.generated", "SplitJava63", true, false)), BATCH));
        assertBitwiseAlike(whole, bytecode, "split bytecode");
        assertBitwiseAlike(whole, java, "split java");
        // --check-numerics=full: the checks follow the calls into the nested classes' chunk methods
        CompiledModel checkedBytecode = step(CodeGenerator.instantiate(GeneratedClassLoader.define("nnc.generated.Split63Checked",
                BytecodeEmitter.emitAll(split, "nnc/generated/Split63Checked", true, true)), BATCH));
        CompiledModel checkedJava = step(CodeGenerator.instantiate(InMemoryJavaCompiler.compile("nnc.generated.SplitJava63Checked",
                JavaSourceEmitter.emit(split, "nnc.generated", "SplitJava63Checked", true, true)), BATCH));
        assertBitwiseAlike(whole, checkedBytecode, "split bytecode with full checks");
        assertBitwiseAlike(whole, checkedJava, "split java with full checks");
    }

    /** {@code m} after one train step from seed-42 parameters on a seeded batch. */
    private static CompiledModel step(CompiledModel m) {
        ParamInit.initialize(m, 42);
        SampleModules.feed(m, BATCH, new SplittableRandom(9));
        m.trainStep(BATCH);
        return m;
    }

    private static void assertBitwiseAlike(CompiledModel expected, CompiledModel actual, String what) {
        for (TensorSpec t : expected.info().tensors()) {
            if (t.role() == Role.INPUT || t.role() == Role.TARGET) continue;
            float[] a = expected.floats(t.name()), b = actual.floats(t.name());
            for (int k = 0; k < t.elementCount(BATCH); k++)
                assertEquals(Float.floatToIntBits(a[k]), Float.floatToIntBits(b[k]), what + ": " + t.name() + "[" + k + "]");
        }
    }
}
