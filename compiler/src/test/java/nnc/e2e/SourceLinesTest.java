package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import nnc.driver.Backend;
import nnc.emit.ModelPlan;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.InMemoryJavaCompiler;
import nnc.emit.java.JavaSourceEmitter;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Generated classes point to the {@code .nn} source, from both back ends (the Java source compiled in
 * memory has its lines mapped there too): their {@code SourceFile} is the model's file and every
 * kernel method and step method has {@code LineNumberTable} entries on lines of that file, so a
 * stack trace or a profiler inside generated code names the statement.
 */
class SourceLinesTest {
    static List<String> samples() { return SampleModules.names(); }

    /** Line numbers of each method of a class, and its source file name. */
    record Lines(String sourceFile, Map<String, List<Integer>> byMethod) {}

    static Lines read(byte[] classFile) {
        Map<String, List<Integer>> byMethod = new TreeMap<>();
        String[] source = {null};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override public void visitSource(String file, String debug) { source[0] = file; }

            @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                List<Integer> lines = byMethod.computeIfAbsent(name, k -> new ArrayList<>());
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override public void visitLineNumber(int line, Label start) { lines.add(line); }
                };
            }
        }, 0);
        return new Lines(source[0], byMethod);
    }

    static List<Arguments> samplesAndBackEnds() {
        List<Arguments> out = new ArrayList<>();
        for (String s : samples()) for (String b : List.of("bytecode", "java")) out.add(Arguments.of(s, b));
        return out;
    }

    /** The class a back end makes for {@code program}: bytecode emitted, or the Java source compiled in memory. */
    static byte[] classFile(KernelProgram program, String name, String backEnd) {
        if (backEnd.equals("bytecode")) return BytecodeEmitter.emit(program, "gen/" + name, true);
        ModelPlan plan = ModelPlan.of(program);
        String source = JavaSourceEmitter.emit(plan, "gen", name, true, false);
        return InMemoryJavaCompiler.compileToBytes("gen." + name, source, plan.nnLines()).get("gen." + name);
    }

    /**
     * The Java back end's lines come from the plan, not from the generated text: with every
     * {@code from FILE:LINE} comment removed from the source, the class maps the same lines, method by
     * method, as the bytecode back end's class.
     */
    @Test
    void theJavaBackEndTakesItsLinesFromThePlanAndAgreesWithTheBytecodeBackEnd() throws IOException {
        KernelProgram program = Backend.program(SampleModules.stages("char_rnn").optimized());
        ModelPlan plan = ModelPlan.of(program);
        String source = JavaSourceEmitter.emit(plan, "gen", "Rnn", true, false);
        String bare = source.replaceAll("(?m)^\\s*\\* from .*\\n", "");
        assertTrue(bare.length() < source.length() && !bare.contains("* from "), "the comments were there and are gone");
        Lines java = read(InMemoryJavaCompiler.compileToBytes("gen.Rnn", bare, plan.nnLines()).get("gen.Rnn"));
        Lines bytecode = read(BytecodeEmitter.emit(program, "gen/Rnn", true));
        assertEquals("char_rnn.nn", java.sourceFile());
        int loops = 0;
        for (var e : bytecode.byMethod().entrySet()) {
            if (!e.getKey().matches("(train|evaluate|predict)\\d+(_\\d+)?")) continue;
            loops += e.getKey().contains("_") ? 1 : 0;
            assertEquals(e.getValue().stream().distinct().toList(), java.byMethod().get(e.getKey()).stream().distinct().toList(), e.getKey());
        }
        assertTrue(loops > 0, "a scan's body methods are among them");
        for (String step : List.of("trainStep", "evaluate", "predict"))
            assertEquals(new TreeSet<>(bytecode.byMethod().get(step)), new TreeSet<>(java.byMethod().get(step)), step);
        // without the plan's lines the class keeps javac's own
        Lines plain = read(InMemoryJavaCompiler.compileToBytes("gen.Rnn", bare).get("gen.Rnn"));
        assertEquals("Rnn.java", plain.sourceFile());
    }

    @ParameterizedTest
    @MethodSource("samplesAndBackEnds")
    void everyKernelMethodMapsToALineOfItsModel(String sample, String backEnd) throws IOException {
        var program = SampleModules.stages(sample).program();
        Lines lines = read(classFile(program, sample.replace("_", ""), backEnd));
        assertEquals(sample + ".nn", lines.sourceFile());
        int fileLines = Files.readAllLines(Samples.file(sample)).size();
        int kernels = 0;
        Set<Integer> distinct = new TreeSet<>();
        for (var e : lines.byMethod().entrySet()) {
            String m = e.getKey();
            boolean kernel = m.matches("(train|evaluate|predict)\\d+(_\\d+)?");
            if (!kernel && !m.equals("trainStep")) continue;
            kernels += kernel ? 1 : 0;
            assertTrue(!e.getValue().isEmpty(), sample + ": " + m + " has no line number");
            for (int line : e.getValue()) assertTrue(line >= 1 && line <= fileLines, sample + ": " + m + " maps to line " + line);
            if (kernel) distinct.addAll(e.getValue());
        }
        assertTrue(kernels > 0, sample + ": no kernel methods found");
        assertTrue(distinct.size() >= 2, sample + ": kernels map to the statements they compute, not to one line: " + distinct);
    }

    /** A class split into nested classes maps the lines of its nested classes' kernel and chunk methods as the bytecode back end does. */
    @Test
    void aSplitClassMapsTheLinesOfItsNestedClasses() {
        KernelProgram program = Backend.program(SampleModules.stages("lenet").optimized());
        ModelPlan split = ModelPlan.of(program, 400);
        assertTrue(split.split().holders().size() > 1, "split into several nested classes");
        Map<String, byte[]> java = InMemoryJavaCompiler.compileToBytes("gen.Split", JavaSourceEmitter.emit(split, "gen", "Split", true, false),
                split.nnLines());
        Map<String, byte[]> bytecode = BytecodeEmitter.emitAll(split, "gen/Split", true);
        int methods = 0;
        for (var e : bytecode.entrySet()) {
            Lines b = read(e.getValue()), j = read(java.get(e.getKey().replace('/', '.')));
            assertEquals("lenet.nn", j.sourceFile());
            for (var m : b.byMethod().entrySet()) {
                boolean calls = m.getKey().equals("trainStep") || m.getKey().matches("(train|evaluate|predict)Part\\d+");
                if (!split.lines().containsKey(m.getKey()) && !calls) continue;
                methods++;
                assertEquals(new TreeSet<>(m.getValue()), new TreeSet<>(j.byMethod().get(m.getKey())), e.getKey() + "." + m.getKey());
            }
        }
        assertTrue(methods > 10, "kernel methods compared: " + methods);
    }

    /** An error inside generated code (a token beyond the vocabulary) shows the statement's line in its stack trace, on both back ends. */
    @ParameterizedTest
    @ValueSource(strings = {"bytecode", "java"})
    void aStackTraceInsideGeneratedCodeNamesTheNnLine(String backEnd, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("small.nn");
        Files.writeString(file, """
                model Small {
                  input  tokens: i32[batch, 8]
                  target y:      i32[batch]
                  e = embedding(tokens, vocab = 10, dim = 4)
                  output logits = dense(mean(e, axis = 1), 2)
                  loss   cross_entropy(logits, y)
                }
                train { data sequence(n = 64, length = 8, vocab = 50, task = "majority") batch 16 epochs 1 }
                """);
        var r = CliTest.nnc("train", file.toString(), "--backend", backEnd, "--verbose");
        assertEquals(1, r.code(), r.err());
        // the row gather is fused into the kernel of mean(e, axis = 1), the statement on line 5
        assertTrue(r.err().contains("nnc.generated.Small.trainStep(small.nn:5)"), r.err());
        assertTrue(r.err().matches("(?s).*nnc\\.generated\\.Small\\.train\\d+\\(small\\.nn:5\\).*"), r.err());
    }
}
