package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.emit.java.InMemoryJavaCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzer's find: a {@code .nn} file whose name holds Java unicode escapes that close a comment
 * ({@code \}{@code u002a\}{@code u002f static{…} \}{@code u002f\}{@code u002a}) ran its static
 * initialiser in {@code nnc train --backend java} and in the class {@code nnc compile --emit java}
 * wrote. Now the name reaches the source as inert text. Also: a model named after a Java keyword.
 */
class CodeInjectionCliTest {
    static final String PROPERTY = "nnc.injected.cli";
    static final String NAME = "\\u002a\\u002f static{System.setProperty(\"" + PROPERTY + "\",\"ran\");} \\u002f\\u002a.nn";

    @TempDir Path tmp;

    @AfterEach void clear() { System.clearProperty(PROPERTY); }

    private Path model(String modelName) throws Exception {
        Path f = tmp.resolve(NAME);
        Files.writeString(f, Files.readString(Samples.file("playground")).replace("Playground", modelName).replace("epochs    100", "epochs 1"));
        return f;
    }

    @Test
    void compileEmitJavaWritesTheNameAsInertText() throws Exception {
        Path f = model("Playground");
        CliTest.Result r = CliTest.nnc("compile", f.toString(), "--emit", "java", "-o", tmp.resolve("out").toString());
        assertEquals(0, r.code(), r.err());
        Path java = tmp.resolve("out/nnc/generated/Playground.java");
        String source = Files.readString(java);
        assertTrue(source.contains("from U+005Cu002aU+005Cu002f static{System.setProperty"), source);
        assertFalse(source.contains("\\u002a"), "no unicode escape survives in a comment");
        InMemoryJavaCompiler.compile("nnc.generated.Playground", source).getConstructor(int.class).newInstance(4);
        assertNull(System.getProperty(PROPERTY), "the file name's static initialiser ran");
    }

    @Test
    void trainWithTheJavaBackEndRunsOnlyTheModel() throws Exception {
        CliTest.Result r = CliTest.nnc("train", model("Playground").toString(), "--backend", "java");
        assertEquals(0, r.code(), r.err());
        assertNull(System.getProperty(PROPERTY), "the file name's static initialiser ran");
        CliTest.Result bytecode = CliTest.nnc("train", model("Playground").toString(), "--backend", "bytecode");
        assertEquals(r.out().replaceAll("[\\d,]+ samples/s", "").replace("java backend", "B"),
                bytecode.out().replaceAll("[\\d,]+ samples/s", "").replace("bytecode backend", "B"));
    }

    @Test
    void aModelNamedAfterAKeywordCompilesToAMangledClass() throws Exception {
        Path f = model("class");
        for (String emit : new String[] {"java", "class"}) {
            CliTest.Result r = CliTest.nnc("compile", f.toString(), "--emit", emit, "-o", tmp.resolve("k").toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.exists(tmp.resolve("k/nnc/generated/class_." + emit)), r.out());
        }
        for (String backend : new String[] {"java", "bytecode"}) {
            CliTest.Result r = CliTest.nnc("train", f.toString(), "--backend", backend);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("training class on"), r.out());
        }
        assertNull(System.getProperty(PROPERTY));
    }
}
