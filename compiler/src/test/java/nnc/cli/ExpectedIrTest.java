package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nnc.passes.SampleModules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Program and expected output pairs: each {@code NAME.after-STAGE.txt} in
 * {@code compiler/src/test/resources/expected/} is what {@code nnc ir NAME.nn --after STAGE} prints,
 * run through the command line in process ({@link Run}). The files open with {@code //} lines that
 * say what was checked by hand (the chain rule, for {@code after-autodiff}); the comparison starts
 * after them, and a failure shows the whole expected and actual printouts for a line diff.
 *
 * <p>To rewrite the printouts after an intended change of the IR printout, run
 * {@code mvn -o -pl compiler test -Dtest=ExpectedIrTest -Dnnc.expected.regenerate=true}: every file
 * keeps its comment lines and gets the new printout (the test then fails, so a regeneration is never
 * taken for a pass). Review the diff by hand, and update the comment lines, before committing.
 */
class ExpectedIrTest {
    /** The system property that rewrites the expected files instead of comparing with them; off unless given. */
    static final String REGENERATE = "nnc.expected.regenerate";

    static Path dir() {
        return SampleModules.samplesDir().resolveSibling("compiler/src/test/resources/expected");
    }

    static Stream<String> expectedFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.matches(".+\\.after-[a-z-]+\\.txt")).sorted().toList();
            assertFalse(names.isEmpty(), "no expected files in " + dir());
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectedFiles")
    void nncIrPrintsTheExpectedIr(String expectedName) throws IOException {
        int at = expectedName.indexOf(".after-");
        String program = expectedName.substring(0, at) + ".nn";
        String stage = expectedName.substring(at + ".after-".length(), expectedName.length() - ".txt".length());
        Path expectedFile = dir().resolve(expectedName);
        Run.Result r = Run.nnc("ir", dir().resolve(program), "--after", stage);
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), "nnc ir wrote to the standard error");

        List<String> lines = Files.readAllLines(expectedFile, StandardCharsets.UTF_8);
        List<String> header = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("//")) break;
            header.add(line);
        }
        assertFalse(header.isEmpty(), expectedName + " opens with no comment line saying what was checked by hand");
        if (Boolean.getBoolean(REGENERATE)) {
            Files.writeString(expectedFile, String.join("\n", header) + "\n" + r.out(), StandardCharsets.UTF_8);
            fail("rewrote " + expectedFile + " (-D" + REGENERATE + "): review it by hand, then run without the switch");
        }
        String expected = String.join("\n", lines.subList(header.size(), lines.size())) + "\n";
        assertEquals(expected, r.out(), () -> "nnc ir " + program + " --after " + stage + ": " + firstDifference(expected, r.out(), header.size())
                + " (expected: " + expectedFile + ")");
    }

    /** Where two printouts part: the line of the expected file and both versions of it. */
    static String firstDifference(String expected, String actual, int headerLines) {
        String[] e = expected.split("\n", -1), a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String want = i < e.length ? e[i] : "(end of file)", got = i < a.length ? a[i] : "(end of output)";
            if (!want.equals(got))
                return "line " + (headerLines + i + 1) + " differs\n  expected: " + want + "\n  actual:   " + got + "\n";
        }
        return "the printouts are equal";
    }
}
