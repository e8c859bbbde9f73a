package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.diag.SourceFile;
import nnc.syntax.Parser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad programs beside the exact diagnostics they must produce: {@code diagnostics/NAME.nn} and
 * {@code diagnostics/NAME.expected}, the rendered text of every diagnostic (errors and warnings),
 * with the file named {@code NAME.nn}.
 */
class DiagnosticCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/diagnostics");

    /** Everything the front end says about {@code src}, rendered. */
    static String diagnose(SourceFile src) {
        List<Diagnostic> diagnostics;
        try {
            diagnostics = Checker.check(Parser.parse(src)).diagnostics();
        } catch (CompileError e) {
            diagnostics = e.diagnostics();
        }
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : diagnostics) sb.append(DiagnosticPrinter.render(d, src));
        return sb.toString();
    }

    static List<Path> programs() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> eachProgramProducesItsExpectedDiagnostics() throws IOException {
        return programs().stream().map(program -> DynamicTest.dynamicTest(program.getFileName().toString(), () -> {
            String name = program.getFileName().toString();
            Path expectedFile = program.resolveSibling(name.replace(".nn", ".expected"));
            SourceFile src = new SourceFile(name, Files.readString(program));
            String actual = diagnose(src);
            assertTrue(Files.exists(expectedFile), () -> "missing " + expectedFile + "; the front end says:\n" + actual);
            assertEquals(Files.readString(expectedFile), actual);
        }));
    }

    @Test
    void corpusIsLargeAndEveryExpectationHasItsProgram() throws IOException {
        assertTrue(programs().size() >= 15, "the corpus has " + programs().size() + " programs");
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path e : files.filter(p -> p.toString().endsWith(".expected")).toList())
                assertTrue(Files.exists(e.resolveSibling(e.getFileName().toString().replace(".expected", ".nn"))), "orphan " + e);
        }
    }
}
