package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import nnc.builtins.Builtins;
import nnc.check.Checker;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.diag.SourceFile;
import nnc.driver.Compilation;
import nnc.syntax.Parser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fenced {@code ```nn} block of {@code docs/language.md} is a complete program that checks
 * without errors or warnings, and whose models build all the way to the Kernel IR (lowering,
 * autodiff, the optimiser update, the passes, scheduling and the memory plan). Fragments and
 * command output in the document use fences without the {@code nn} tag.
 */
class DocsExamplesTest {
    /** One {@code ```nn} block: its first line in the document and its text. */
    record Block(int line, String text) {}

    static Path languageDoc() {
        return Samples.dir().resolveSibling("docs").resolve("language.md");
    }

    /** The {@code ```nn} blocks of a Markdown text, in order. */
    static List<Block> nnBlocks(String markdown) {
        List<Block> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].strip().equals("```nn")) continue;
            int first = i + 1;
            StringBuilder text = new StringBuilder();
            for (i = first; i < lines.length && !lines[i].strip().equals("```"); i++) text.append(lines[i]).append('\n');
            if (i == lines.length) throw new IllegalStateException("the ```nn block at line " + first + " is not closed");
            out.add(new Block(first + 1, text.toString()));
        }
        return out;
    }

    @Test
    void theDocumentHasExamples() throws IOException {
        assertTrue(nnBlocks(Files.readString(languageDoc())).size() >= 10, "docs/language.md lost its ```nn examples");
    }

    @Test
    void everyBuiltinIsDocumented() throws IOException {
        String doc = Files.readString(languageDoc());
        Set<String> missing = new TreeSet<>();
        for (String name : Builtins.names()) if (!doc.contains("`" + name + "(")) missing.add(name);
        assertEquals(Set.of(), missing, "builtins without a `name(` in docs/language.md");
    }

    @Test
    void blocksAreFoundWithTheirLines() {
        List<Block> blocks = nnBlocks("text\n```nn\nmodel A {}\n```\n```\nnot nn\n```\n```nn\nmodel B {}\n```\n");
        assertEquals(List.of(new Block(3, "model A {}\n"), new Block(9, "model B {}\n")), blocks);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleChecksAndCompiles() throws IOException {
        Path doc = languageDoc();
        return nnBlocks(Files.readString(doc)).stream().map(b -> DynamicTest.dynamicTest("language.md:" + b.line(), () -> {
            // the block's lines keep their numbers in the document, so diagnostics point into it
            SourceFile src = new SourceFile("docs/language.md", "\n".repeat(b.line() - 1) + b.text());
            Checker.CheckResult r;
            try {
                r = Checker.check(Parser.parse(src));
            } catch (CompileError e) {
                r = new Checker.CheckResult(List.of(), e.diagnostics());
            }
            String problems = r.diagnostics().stream().map(d -> DiagnosticPrinter.render(d, src)).reduce("", String::concat);
            assertEquals("", problems, "the example at docs/language.md:" + b.line() + " has diagnostics");
            assertFalse(r.models().isEmpty(), "the example at docs/language.md:" + b.line() + " defines no model");
            for (Compilation c : Compilation.all(src, Compilation.Options.DEFAULT)) c.program();
        }));
    }
}
