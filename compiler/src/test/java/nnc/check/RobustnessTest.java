package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.diag.SourceFile;
import nnc.syntax.Parser;
import org.junit.jupiter.api.Test;

/** No input makes the front end throw anything but a {@link CompileError} with diagnostics. */
class RobustnessTest {
    private static final List<String> TOKENS = List.of("model", "M", "{", "}", "input", "target", "param", "output", "loss",
            "metric", "x", "y", "h", "h.W", ":", "f32", "i32", "[", "]", "batch", "time", ",", "2", "0", "1e-3", "99999999999",
            "=", "(", ")", "dense", "relu", "sigmoid", "sum", "axis", "mse", "cross_entropy", "accuracy", "@", "+", "-", "*",
            "/", "^", "train", "data", "circles", "idx", "\"f.gz\"", "optimizer", "adam", "lr", "epochs", "true", "zeros",
            "normal", "fn", "->", "return", "scan", "over", "in", "\n", "//c\n", "/*", "*/", "$", "\"");

    /** Runs the whole front end; returns the rendered diagnostics (also exercising the printer). */
    static String frontEnd(String text) {
        SourceFile src = new SourceFile("r.nn", text);
        List<Diagnostic> diagnostics;
        try {
            diagnostics = Checker.check(Parser.parse(src)).diagnostics();
        } catch (CompileError e) {
            diagnostics = e.diagnostics();
            assertFalse(diagnostics.isEmpty(), "a CompileError without diagnostics");
        }
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : diagnostics) sb.append(DiagnosticPrinter.render(d, src));
        return sb.toString();
    }

    /** The first diagnostic message for {@code text}, run on a thread with a small stack like a plain {@code java} launch. */
    static String firstMessageOnSmallStack(String text) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                frontEnd(text);
                CompileError e = assertThrows(CompileError.class, () -> Parser.parse(new SourceFile("r.nn", text)));
                result.set(e.diagnostics().get(0).message());
            } catch (Throwable e) {
                result.set(e);
            }
        }, "small-stack", 512 * 1024);
        t.start();
        t.join();
        if (result.get() instanceof Throwable e) throw new AssertionError(e);
        return (String) result.get();
    }

    static List<String> samples() throws IOException {
        try (var files = Files.list(Path.of("../samples"))) {
            return files.filter(p -> p.toString().endsWith(".nn")).sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void everyPrefixOfEverySample() throws IOException {
        for (String s : samples()) for (int i = 0; i <= s.length(); i++) frontEnd(s.substring(0, i));
    }

    @Test
    void randomMutationsOfTheSamples() throws IOException {
        Random r = new Random(7);
        for (String s : samples()) {
            for (int k = 0; k < 300; k++) {
                StringBuilder sb = new StringBuilder(s);
                int edits = 1 + r.nextInt(3);
                for (int e = 0; e < edits && !sb.isEmpty(); e++) {
                    int at = r.nextInt(sb.length());
                    switch (r.nextInt(3)) {
                        case 0 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(8)));
                        case 1 -> sb.insert(at, TOKENS.get(r.nextInt(TOKENS.size())) + " ");
                        default -> sb.setCharAt(at, (char) (32 + r.nextInt(95)));
                    }
                }
                frontEnd(sb.toString());
            }
        }
    }

    @Test
    void randomTokenSoup() {
        Random r = new Random(11);
        for (int k = 0; k < 3000; k++) {
            StringBuilder sb = new StringBuilder(k % 2 == 0 ? "model M { " : "");
            int n = 1 + r.nextInt(60);
            for (int i = 0; i < n; i++) sb.append(TOKENS.get(r.nextInt(TOKENS.size()))).append(' ');
            frontEnd(sb.toString());
        }
    }

    @Test
    void randomBytes() {
        Random r = new Random(3);
        for (int k = 0; k < 500; k++) {
            byte[] bytes = new byte[r.nextInt(300)];
            r.nextBytes(bytes);
            frontEnd(new String(bytes, k % 2 == 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void tenThousandNestedParenthesesAreRefused() throws InterruptedException {
        String text = "model M { h = " + "(".repeat(10_000) + "x" + ")".repeat(10_000) + " }";
        assertEquals("brackets are nested too deeply (more than 128 levels)", firstMessageOnSmallStack(text));
    }

    @Test
    void longOperatorChainsAreRefusedWithoutStackOverflow() throws InterruptedException {
        for (String chain : List.of("x" + " + x".repeat(100_000), "- ".repeat(10_000) + "x", "x" + " ^ x".repeat(10_000),
                "x" + " @ -x".repeat(5_000), "-(".repeat(120) + "x" + " ^ -x".repeat(200) + ")".repeat(120)))
            assertEquals("expression is nested too deeply (more than 256 levels)", firstMessageOnSmallStack("model M { h = " + chain + " }"));
    }

    @Test
    void theDeepestAcceptedExpressionsCheckOnASmallStack() throws InterruptedException {
        String head = "model M { input x: f32[batch, 1]  target y: f32[batch, 1]  output h = ";
        for (String deepest : List.of("-(".repeat(127) + "x" + ")".repeat(127), "relu(".repeat(127) + "x" + ")".repeat(127),
                "x" + " ^ x".repeat(255), "x" + " + x".repeat(255))) {
            String text = head + deepest + "  loss mse(h, y) }";
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = new Thread(null, () -> {
                try {
                    result.set(Checker.check(Parser.parse(new SourceFile("r.nn", text))));
                } catch (Throwable e) {
                    result.set(e);
                }
            }, "small-stack", 512 * 1024);
            t.start();
            t.join();
            Checker.CheckResult r = assertInstanceOf(Checker.CheckResult.class, result.get());
            assertEquals(List.of(), r.diagnostics());
        }
    }

    @Test
    void nestingWithinTheLimitsChecks() {
        String deep = "relu(".repeat(100) + "x" + ")".repeat(100);
        String sum = "x" + " + x".repeat(150);
        CheckedModel m = CheckerTest.model("model M { input x: f32[batch, 1]  target y: f32[batch, 1]  output p = " + deep
                + " + " + sum + "  loss mse(p, y) }");
        assertEquals("f32[batch,1]", m.outputs().get(0).type().toString());
    }

    @Test
    void enormousDimensionsAreDiagnosedNotOverflowed() {
        String text = frontEnd("model M { input x: f32[batch, 1000000000000]  target y: f32[batch, 4611686018427387904]  loss mse(x, y) }");
        assertTrue(text.contains("error: dimension 1000000000000 is too large (at most 2147483647)"), text);
        text = frontEnd("model M { input x: f32[batch, 100000000000000000000000000000] }");
        assertTrue(text.contains("error: dimension 100000000000000000000000000000 is too large (at most 2147483647)"), text);
        text = frontEnd("model M { input x: f32[batch, 2000000000]  target y: f32[batch, 1]  loss mse(dense(x, 2000000000), y) }");
        assertTrue(text.contains("error: f32[2000000000,2000000000] has 4000000000000000000 elements"), text);
        text = frontEnd("model M { input x: f32[batch, 2147483647] }"); // fits an int, not a Java array
        assertTrue(text.contains("error: f32[batch,2147483647] has 2147483647 elements per batch row, more than the 2147483639"
                + " one Java array (a tensor) can hold"), text);
    }
}
