package nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nnc.driver.Backend;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.InMemoryJavaCompiler;
import nnc.emit.java.JavaSourceEmitter;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import nnc.runtime.kernels.VectorMath;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIMD mode really emits Vector API loops (and scalar mode none), and every method of every sample's
 * class stays below HotSpot's 8000-byte JIT limit with both emitters in both modes.
 */
class SimdCodeTest {
    @Test
    void simdSourceUsesVectorLoopsWithTheFixedSpeciesAndLaneAccumulators() {
        String src = JavaSourceEmitter.emit(TestPrograms.wide(), "gen", "Wide", true);
        for (String expected : List.of("private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;",
                "SPECIES.loopBound(37)", "FloatVector.fromArray(SPECIES, b", "(FloatVector) LaneCalls.exp.invokeExact(", "(FloatVector) LaneCalls.softplus.invokeExact(", "} catch (Throwable t) {", "throw LaneCalls.rethrow(t);",
                "Lanes.sum(lanes)", "Lanes.max(lanes)", ".intoArray(b", "x += 8", ".compare(VectorOperators.GT, ",
                "int nncCalls = evaluate0Calls, nncWarm = (nncCalls - VectorWarmup.scalarCalls) >>> 31;",
                "if (((37 - VectorWarmup.MIN_LENGTH) >>> 31 | VectorWarmup.NO_VECTORS | (nncWarm & (((nncCalls & VectorWarmup.PROBE_MASK) - 1) >>> 31 ^ 1))) != 0) {",
                "private static int evaluate0Calls;", "folded.add(folded.rearrange(LaneFolds.NEIGHBOURS)).lane(0)", "lanes.max(lanes.rearrange(LaneFolds.HALVES))", "private static final class Simd {", "Simd.evaluate0(", "static void evaluate0("))
            assertTrue(src.contains(expected), "missing " + expected + " in\n" + src);
    }

    @Test
    void selectHashAndErfRunAsLanesInBothEmitters() {
        KernelProgram program = TestPrograms.wideSelect();
        String byDefault = JavaSourceEmitter.emit(program, "gen", "WideSelect", true);
        assertTrue(byDefault.contains("LaneCalls.select.invokeExact(") && byDefault.contains("LaneCalls.hashUniform.invokeExact(") && byDefault.contains("LaneCalls.erf.invokeExact("), byDefault);
        selectHashAndErfLanes(program);
    }

    private static void selectHashAndErfLanes(KernelProgram program) {
        for (Kernel k : program.entry("evaluate").kernels()) {
            var plan = switch (k) {
                case Kernel.Pointwise pw -> VectorPlan.of(pw, LoopNest.of(pw));
                case Kernel.Reduce r -> VectorPlan.of(r, LoopNest.of(r));
                default -> throw new AssertionError(k);
            };
            assertTrue(plan.isPresent(), "vectorised: " + k);
        }
        String src = JavaSourceEmitter.emit(program, "gen", "WideSelect", true);
        for (String expected : List.of("LaneCalls.select.invokeExact(", "LaneCalls.hashUniform.invokeExact(", "LaneCalls.erf.invokeExact("))
            assertTrue(src.contains(expected), "missing " + expected + " in\n" + src);
        // powers of two divide as multiplications in lanes (ExactReciprocal), other constants still divide
        for (String expected : List.of(".mul(FloatVector.broadcast(SPECIES, 0.25f))", ".mul(FloatVector.broadcast(SPECIES, -8.0f))",
                ".div(FloatVector.broadcast(SPECIES, 3.0f))", ".div(FloatVector.broadcast(SPECIES, 1.7014118E38f))"))
            assertTrue(src.contains(expected), "missing " + expected + " in\n" + src);
        assertFalse(src.contains(".div(FloatVector.broadcast(SPECIES, 4.0f))"), "a lane division by 4 is left in\n" + src);
        String bytes = allClasses(program, "gen/WideSelect", true);
        for (String expected : List.of("select", "hashUniform", "erf", "nnc/runtime/kernels/LaneCalls", "invokeExact"))
            assertTrue(bytes.contains(expected), "bytecode lacks " + expected);
    }

    @Test
    void oneHotRowsAlongTheVectorAxisRunAsLanesInBothEmitters() {
        KernelProgram program = TestPrograms.wideOneHot();
        String src = JavaSourceEmitter.emit(program, "gen", "WideOneHot", true);
        // the gradient and the bare one-hot: vector loops over the 45 classes; the row sum (45 > MIN_LANE_RUN) folds in lanes
        assertEquals(3, src.split("LaneCalls\\.oneHot\\.invokeExact\\(", -1).length - 1, src);
        assertTrue(allClasses(program, "gen/WideOneHot", true).contains("oneHot"));
        for (Kernel k : program.entry("train").kernels()) {
            if (k instanceof Kernel.Pointwise pw) assertTrue(VectorPlan.of(pw, LoopNest.of(pw)).isPresent(), pw.out().name());
            if (k instanceof Kernel.Reduce r) assertEquals(VectorPlan.Kind.LANE_ACCUMULATOR, VectorPlan.of(r, LoopNest.of(r)).orElseThrow().kind());
        }
        // a one-hot whose index varies along the vector axis (the transposed rows of TestPrograms.oneHot) stays scalar
        for (Kernel k : TestPrograms.oneHot().entry("train").kernels()) {
            if (k instanceof Kernel.Pointwise pw && pw.out().name().equals("t")) assertTrue(VectorPlan.of(pw, LoopNest.of(pw)).isEmpty());
        }
    }

    /**
     * The lane functions the kernels call per vector without a loop of their own stay within HotSpot's
     * {@code MaxInlineSize} (35 bytes), which C2 inlines whatever a kernel's profile says: a vector
     * returned by a call that is not inlined becomes an object.
     */
    @Test
    void smallLaneFunctionsStayWithinMaxInlineSize() throws IOException {
        Map<String, Integer> sizes = new HashMap<>();
        try (InputStream in = VectorMath.class.getResourceAsStream("VectorMath.class")) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        int bytes;
                        @Override public void visitCode() { bytes = 0; }
                        @Override public void visitMaxs(int stack, int locals) { sizes.merge(name, bytes, Math::max); }
                        @Override public void visitInsn(int op) { bytes += 1; }
                        @Override public void visitIntInsn(int op, int operand) { bytes += op == Opcodes.SIPUSH ? 3 : 2; }
                        @Override public void visitVarInsn(int op, int v) { bytes += v <= 3 ? 1 : 2; }
                        @Override public void visitTypeInsn(int op, String type) { bytes += 3; }
                        @Override public void visitFieldInsn(int op, String o, String n, String d) { bytes += 3; }
                        @Override public void visitMethodInsn(int op, String o, String n, String d, boolean itf) { bytes += itf ? 5 : 3; }
                        @Override public void visitJumpInsn(int op, Label l) { bytes += 3; }
                        @Override public void visitLdcInsn(Object v) { bytes += v instanceof Long || v instanceof Double ? 3 : 2; }
                        @Override public void visitIincInsn(int v, int inc) { bytes += 3; }
                    };
                }
            }, ClassReader.SKIP_DEBUG);
        }
        for (String f : List.of("oneHot", "select")) {
            assertTrue(sizes.containsKey(f), f);
            assertTrue(sizes.get(f) <= 35, f + " is " + sizes.get(f) + " bytes of bytecode");
        }
    }

    @Test
    void shortReductionsKeepThePlainOrderAndBatchRunsUseLanes() {
        KernelProgram wide = TestPrograms.wide();
        for (Kernel k : wide.entry("evaluate").kernels()) {
            if (!(k instanceof Kernel.Reduce r)) continue;
            var plan = VectorPlan.of(r, LoopNest.of(r));
            String name = r.out().name();
            if (name.equals("shortRow")) assertTrue(plan.isEmpty(), "10 points stay scalar");
            if (name.equals("sumRow") || name.equals("sumAll") || name.equals("sumRuns") || name.equals("sum2"))
                assertEquals(VectorPlan.Kind.LANE_ACCUMULATOR, plan.orElseThrow().kind(), name);
            if (name.equals("sumCol")) assertEquals(VectorPlan.Kind.FOLD_IN_PLACE, plan.orElseThrow().kind(), name);
        }
    }

    @Test
    void scalarModeDoesNotTouchTheVectorModule() {
        String src = JavaSourceEmitter.emit(TestPrograms.wide(), "gen", "Wide", false);
        assertFalse(src.contains("jdk.incubator.vector"), src);
        assertFalse(src.contains("FloatVector"), src);
        String bytes = allClasses(TestPrograms.wide(), "gen/Wide", false);
        assertFalse(bytes.contains("jdk/incubator/vector"));
        String simdBytes = allClasses(TestPrograms.wide(), "gen/Wide", true);
        assertTrue(simdBytes.contains("jdk/incubator/vector/FloatVector") && simdBytes.contains("nnc/runtime/kernels/Lanes"));
    }

    /**
     * Adam's moment flushes are written inline in lanes by both emitters, not called: a fused update
     * of several parameters passes C2's node-count cutoff, and a lane method it does not inline then
     * boxes its vectors on every iteration (the encoder's step allocated 334 KB that way).
     */
    @Test
    void adamsFlushLanesAreWrittenInlineByBothEmitters() {
        KernelProgram program = SampleModules.stages("fashion_mlp").program();
        String src = JavaSourceEmitter.emit(program, "gen", "Flushed", true);
        assertTrue(src.contains(".blend(0f, ") && src.contains(".abs().compare(VectorOperators.LT, Float.MIN_NORMAL))"), src);
        assertFalse(src.contains("VectorMath.flushSubnormal(") || src.contains("LaneCalls.flushSubnormal"), src);
        References refs = References.of(program, "gen/Flushed");
        assertFalse(refs.vectorMathCalls().contains("flushSubnormal") || refs.laneHandles().contains("flushSubnormal"), refs.toString());
        int flushes = refs.minNormals();
        assertTrue(flushes >= 2, "inline flushes (their Float.MIN_NORMAL) in the bytecode: " + flushes);
    }

    /**
     * What the bytecode of {@code program}'s classes refers to: the {@code VectorMath} methods it calls
     * directly, the {@code LaneCalls} handles it reads, and its {@code Float.MIN_NORMAL} constants (one
     * per inline flush of a subnormal).
     */
    private record References(List<String> vectorMathCalls, List<String> laneHandles, int minNormals) {
        static References of(KernelProgram program, String name) {
            List<String> calls = new ArrayList<>(), handles = new ArrayList<>();
            int[] minNormals = {0};
            for (byte[] b : BytecodeEmitter.emitAll(ModelPlan.of(program), name, true).values()) {
                new ClassReader(b).accept(new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(int access, String method, String desc, String sig, String[] exceptions) {
                        return new MethodVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitMethodInsn(int op, String owner, String called, String d, boolean itf) {
                                if (owner.equals("nnc/runtime/kernels/VectorMath")) calls.add(called);
                            }

                            @Override
                            public void visitFieldInsn(int op, String owner, String field, String d) {
                                if (owner.equals("nnc/runtime/kernels/LaneCalls")) handles.add(field);
                            }

                            @Override
                            public void visitLdcInsn(Object value) {
                                if (value instanceof Float f && f == Float.MIN_NORMAL) minNormals[0]++;
                            }
                        };
                    }
                }, 0);
            }
            return new References(calls, handles, minNormals[0]);
        }
    }

    /** Every class file of {@code program}, as ISO-8859-1 text to search. */
    private static String allClasses(KernelProgram program, String name, boolean simd) {
        StringBuilder all = new StringBuilder();
        for (byte[] b : BytecodeEmitter.emitAll(ModelPlan.of(program), name, simd).values()) all.append(new String(b, StandardCharsets.ISO_8859_1));
        return all.toString();
    }

    static Stream<String> samples() throws IOException {
        try (Stream<Path> files = Files.list(samplesDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nn")).sorted()
                    .map(n -> n.substring(0, n.length() - 3)).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyMethodOfEverySampleIsBelowTheJitLimitInBothModes(String sample) {
        KernelProgram program = SampleModules.stages(sample).program();
        for (boolean simd : new boolean[] {true, false}) {
            Map<String, Integer> bytecode = ClassFiles.codeSizes(BytecodeEmitter.emitAll(ModelPlan.of(program), "gen/Sized", simd));
            Map<String, Integer> source = ClassFiles.codeSizes(InMemoryJavaCompiler.compileToBytes("gen.Sized",
                    JavaSourceEmitter.emit(program, "gen", "Sized", simd)));
            for (Map<String, Integer> sizes : List.of(bytecode, source)) {
                assertTrue(sizes.size() > 4, "methods: " + sizes.keySet());
                sizes.forEach((method, size) -> assertTrue(size < GeneratedClassChecksTest.HUGE_METHOD_LIMIT,
                        sample + (simd ? " simd " : " scalar ") + method + " has " + size + " bytes of bytecode"));
            }
        }
    }

    /**
     * Generated kernels call {@code VectorMath} only through {@code LaneCalls}' handles, in both emitters:
     * a direct call is refused by C2 once the kernel's compilation has passed its node limit (see
     * {@code LaneCalls}), and its vectors are then boxed on every iteration.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void kernelsCallLaneFunctionsOnlyThroughTheirHandles(String sample) {
        KernelProgram program = SampleModules.stages(sample).program();
        References refs = References.of(program, "gen/Handled");
        assertEquals(List.of(), refs.vectorMathCalls(), sample);
        int handles = refs.laneHandles().size();
        String src = JavaSourceEmitter.emit(program, "gen", "Handled", true);
        assertFalse(src.contains("VectorMath."), sample + "\n" + src);
        assertEquals(handles, src.split("LaneCalls\\.[a-zA-Z0-9]+\\.invokeExact\\(", -1).length - 1, sample + ": the same calls in both emitters");
    }

    private static Path samplesDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve("samples/playground.nn"))) return p.resolve("samples");
        throw new IllegalStateException("samples/ not found above " + Path.of("").toAbsolutePath());
    }
}
