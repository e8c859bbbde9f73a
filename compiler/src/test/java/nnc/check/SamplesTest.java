package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.diag.SourceFile;
import nnc.syntax.Parser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every {@code samples/*.nn} parses and checks without errors. */
class SamplesTest {
    static final Path SAMPLES = Path.of("../samples");

    static List<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        }
    }

    @Test
    void theSamplesOfTheLanguageArePresent() throws IOException {
        List<String> names = samples().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("playground.nn", "housing.nn", "worked.nn", "fashion_mlp.nn")), names.toString());
    }

    @TestFactory
    Stream<DynamicTest> everySampleChecksWithoutErrors() throws IOException {
        return samples().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            SourceFile src = new SourceFile(p.toString(), Files.readString(p));
            Checker.CheckResult r = Checker.check(Parser.parse(src));
            String errors = r.diagnostics().stream().filter(Diagnostic::isError).map(d -> DiagnosticPrinter.render(d, src)).reduce("", String::concat);
            assertEquals("", errors);
            assertFalse(r.models().isEmpty());
        }));
    }
}
