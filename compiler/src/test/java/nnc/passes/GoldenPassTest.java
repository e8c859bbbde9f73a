package nnc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nnc.ir.GraphParser;
import nnc.ir.GraphPrinter;
import nnc.ir.GraphVerifier;
import nnc.ir.IrModule;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Data-driven golden tests: each {@code passes/<pass>/*.nnir} resource is a Graph IR module with
 * {@code // CHECK:} lines. The file is parsed, verified, run through the pass named by its folder
 * (with {@code // RUN: unsafe-math} the unsafe rules too), verified again and printed; the printout
 * must satisfy the CHECK lines, and every {@code // NOTE: text} must be among the pass's report notes.
 */
class GoldenPassTest {
    static Path root() throws URISyntaxException { return Path.of(GoldenPassTest.class.getResource("/passes").toURI()); }

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".nnir")).sorted().toList()) {
                String pass = f.getParent().getFileName().toString();
                tests.add(DynamicTest.dynamicTest(pass + "/" + f.getFileName(), () -> runGolden(pass, f)));
            }
        }
        return tests.stream();
    }

    @Test
    void everyPassHasAGoldenFolder() throws Exception {
        for (String name : PassPipeline.standard().names()) {
            Path dir = root().resolve(name);
            assertTrue(Files.isDirectory(dir), "no golden folder for pass " + name);
            try (Stream<Path> files = Files.list(dir)) { assertTrue(files.anyMatch(p -> p.toString().endsWith(".nnir")), name); }
        }
    }

    static void runGolden(String passName, Path file) throws IOException {
        String text = Files.readString(file);
        boolean unsafe = text.contains("// RUN: unsafe-math");
        Pass pass = PassPipeline.of(unsafe).passes().stream().filter(p -> p.name().equals(passName)).findFirst()
                .orElseThrow(() -> new AssertionError("no pass named " + passName));
        IrModule in = GraphParser.parse("Golden", text);
        assertEquals(List.of(), GraphVerifier.verify(in), file + ": input does not verify");
        PassReport report = new PassReport();
        IrModule out = pass.run(in, report);
        assertEquals(List.of(), GraphVerifier.verify(out), file + ": output does not verify");
        String printed = GraphPrinter.print(out);
        var directives = FileCheck.directives(text);
        assertFalse(directives.isEmpty(), file + " has no CHECK lines");
        assertEquals(List.of(), FileCheck.check(directives, printed), file + "\n--- output ---\n" + printed);
        for (String line : text.split("\n"))
            if (line.strip().startsWith("// NOTE:")) {
                String want = line.strip().substring(8).strip();
                assertTrue(report.notes().stream().anyMatch(n -> n.contains(want)), file + ": no note containing '" + want + "' in " + report.notes());
            }
    }
}
