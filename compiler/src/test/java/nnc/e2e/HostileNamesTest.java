package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.lang.model.SourceVersion;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.emit.ModelPlan;
import nnc.emit.NameLimits;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.InMemoryJavaCompiler;
import nnc.emit.java.JavaSourceEmitter;
import nnc.emit.java.JavaText;
import nnc.emit.java.JavaTextTest;
import nnc.ir.IrModule;
import nnc.kir.KernelProgram;
import nnc.optim.TrainConfig;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * Seeded property: hostile model names (keywords, 70,000 characters), file names and data paths
 * (unicode escapes, comment delimiters, line terminators, NUL, quotes, non-ASCII, a static
 * initialiser as payload) go through both back ends and change nothing: the Java source compiles,
 * the class loads under a valid short name, its {@code SourceFile} names the file, the payload never
 * runs, and two train steps give bitwise the loss and parameters of the same model named benignly.
 */
class HostileNamesTest {
    static final List<String> MODEL_NAMES = List.of("class", "int", "var", "record", "_", "true", "null", "yield", "sealed",
            "goto", "Plain", "x".repeat(70_000), "a_" + "b".repeat(200));

    static final String MODEL = """
            model NAME {
              input  x: f32[batch, 2]
              target y: f32[batch, 1]
              h      = sigmoid(dense(x, 3))
              logits = dense(h, 1)
              output p = sigmoid(logits)
              loss   bce_with_logits(logits, y)
            }
            train {
              data      csv("DATA", label = "y")
              optimizer adam(lr = 0.05)
              batch     8
              seed      1
            }
            """;

    /** {@code s} as a string of the {@code .nn} language (which has no line breaks in strings). */
    static String nnString(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "");
    }

    static IrModule module(String modelName, String file, String data) {
        String text = MODEL.replace("NAME", modelName).replace("DATA", nnString(data));
        return Compilation.of(new SourceFile(file, text)).optimized();
    }

    @RepeatedTest(13)
    void hostileNamesChangeNothing(RepetitionInfo info) throws Exception {
        int rep = info.getCurrentRepetition();
        Random r = new Random(1206L * rep);
        String modelName = MODEL_NAMES.get(rep - 1);
        String fileName = rep == 12 ? "f".repeat(70_000) + ".nn" : JavaTextTest.hostile(r) + ".nn";
        String path = "some dir/" + fileName;
        String data = JavaTextTest.hostile(r) + ".csv";
        boolean simd = rep % 2 == 0;
        IrModule hostile = module(modelName, path, data), benign = module("Benign", "benign.nn", "data.csv");
        assertEquals(modelName, hostile.info().name(), "the model keeps its own name");
        String className = Backend.className(modelName);
        assertTrue(SourceVersion.isName(className) && className.length() <= JavaText.MAX_IDENTIFIER, className);

        KernelProgram program = Backend.program(hostile);
        String source = JavaSourceEmitter.emit(program, "gen", className, simd);
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            assertTrue(c == '\n' || (c >= 0x20 && c < 0x7F), "character " + (int) c + " in the source at " + i);
        }
        for (String line : source.split("\n"))
            if (!line.contains("\"")) assertFalse(line.contains("\\u"), "an escape outside a string literal: " + line);
        String expectedFile = NameLimits.sourceFileName(path.substring(path.lastIndexOf('/') + 1)); // a '/' in the hostile part starts a folder
        assertEquals(expectedFile, ModelPlan.of(program).nnLines().file(), "the plan names the file");
        byte[] javaClass = InMemoryJavaCompiler.compileToBytes("gen." + className, source, ModelPlan.of(program).nnLines()).get("gen." + className);
        byte[] byteClass = BytecodeEmitter.emit(program, "gen/" + className, simd);
        for (byte[] classFile : List.of(javaClass, byteClass)) {
            SourceLinesTest.Lines lines = SourceLinesTest.read(classFile);
            assertEquals(expectedFile, lines.sourceFile());
            assertEquals(List.of(4), lines.byMethod().get("train0").stream().distinct().toList(), "train0 maps to line 4 (h = ...)");
        }
        String plain = MODEL.replace("NAME", modelName).replace("DATA", "d.csv");
        assertEquals(className, Compilation.of(new SourceFile(path, plain)).className(), "the Maven plugin's name");

        for (Backend backend : List.of(Backend.JAVA, Backend.BYTECODE)) {
            CompiledModel a = SampleModules.train(backend.create(hostile, 8, simd), 8, 2);
            CompiledModel b = SampleModules.train(backend.create(benign, 8, simd), 8, 2);
            assertEquals(className, a.getClass().getSimpleName());
            assertEquals(modelName, a.info().name());
            assertEquals(Float.floatToRawIntBits(b.loss()), Float.floatToRawIntBits(a.loss()), backend + ": loss");
            for (TensorSpec t : a.info().tensors())
                if (t.role() == Role.PARAM || t.role() == Role.STATE)
                    assertTrue(Arrays.equals(b.floats(t.name()), a.floats(t.name())), backend + ": " + t.name());
        }
        assertNull(System.getProperty("nnc.injected"), "the payload ran");
    }
}
