package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Exit codes as command-line tools use them: 0 success, 1 bad input, 2 usage error, 70 internal error. */
class ExitCodesTest {
    @TempDir Path tmp;

    /** One error line {@code nnc CMD: error: ...}, then the hint to --help; no stack trace. */
    private static void assertUsage(Run.Result r, String command, String message) {
        assertEquals(2, r.code(), r.toString());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).startsWith(command + ": error: ") && lines.get(0).contains(message), r.toString());
        assertEquals("Try '" + command + " --help' for more information.", lines.get(lines.size() - 1), r.toString());
        assertTrue(lines.size() <= 3, "short: " + r);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r);
        assertEquals("", r.out(), "no usage text on stdout");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "train SAMPLE --frobnicate               | nnc train   | unknown option: '--frobnicate'",
            "trian SAMPLE                            | nnc         | unknown command 'trian' (the commands: check, ir, compile, train, eval, predict, grad, bench, playground, help, generate-completion)",
            "train SAMPLE --batch abc                | nnc train   | invalid value for option '--batch': 'abc' is not an int",
            "train SAMPLE --verbose --batch abc      | nnc train   | invalid value for option '--batch': 'abc' is not an int",
            "compile SAMPLE --stats --memory-budget -1 | nnc compile | --memory-budget must be at least 0, got -1",
            "train SAMPLE --epochs 1.5               | nnc train   | invalid value for option '--epochs': '1.5' is not an int",
            "train                                   | nnc train   | missing required parameter: 'FILE'",
            "predict SAMPLE --input x.csv --out y.csv | nnc predict | missing required option: '--params=P.safetensors'",
            "eval SAMPLE                             | nnc eval    | missing required option: '--params=P.safetensors'",
            "train SAMPLE --epochs 0                 | nnc train   | --epochs must be at least 1, got 0",
            "train SAMPLE --batch -3                 | nnc train   | --batch must be at least 1, got -3",
            "train SAMPLE --checkpoint CK --every 0  | nnc train   | --every must be at least 1, got 0",
            "train SAMPLE --every 5                  | nnc train   | --every needs --checkpoint DIR",
            "train SAMPLE --backend gpu              | nnc train   | unknown backend 'gpu'",
            "train SAMPLE --time 0                   | nnc train   | --time must be at least 1, got 0",
            "predict SAMPLE --params p --input x.csv --out y.csv --batch 0 | nnc predict | --batch must be at least 1, got 0",
            "compile SAMPLE                          | nnc compile | missing -o DIR",
            "predict SAMPLE --params p --input x.csv --out y.csv --scale NaN | nnc predict | --scale must be a finite number, got NaN",
            "check --format xml SAMPLE               | nnc check   | --format must be text or json, not 'xml'",
    })
    void usageErrorsExit2WithOneLineAndAHint(String args, String command, String message) {
        String sample = samples().resolve("playground.nn").toString();
        String[] a = args.trim().replace("SAMPLE", sample).replace("CK", tmp.resolve("ck").toString()).split(" +");
        assertUsage(Run.nnc((Object[]) a), command, message);
    }

    @Test
    void anUnknownCommandSuggestsTheNearOnes() {
        Run.Result r = Run.nnc("trian", "x.nn");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("did you mean: train?"), r.toString());
    }

    @Test
    void anUnknownModelIsAUsageErrorListingTheModels() throws Exception {
        Path f = tmp.resolve("two.nn");
        Files.writeString(f, """
                model A {
                  input x: f32[batch, 2]
                  target y: f32[batch, 1]
                  output p = sigmoid(dense(x, 1))
                  loss bce(p, y)
                }
                model B {
                  input x: f32[batch, 2]
                  target y: f32[batch, 1]
                  output p = sigmoid(dense(x, 1))
                  loss bce(p, y)
                }
                """);
        assertUsage(Run.nnc("train", f, "--model", "C"), "nnc train", "--model C: " + f + " defines no model of that name; its models: A, B");
        assertUsage(Run.nnc("check", f, "--model", "A"), "nnc check", "unknown option: '--model'");
        assertUsage(Run.nnc("ir", f), "nnc ir", f + " defines 2 models (A, B): pick one with --model NAME");
        assertEquals(0, Run.nnc("ir", f, "--model", "B").code());
    }

    @Test
    void inputProblemsStayExit1() throws Exception {
        Path bad = tmp.resolve("bad.nn");
        Files.writeString(bad, "model M {\n  input x: f32[batch, 2]\n  output p = sigmoid(x @ )\n}\n");
        assertEquals(1, Run.nnc("train", bad).code());
        assertEquals(1, Run.nnc("train", tmp.resolve("missing.nn")).code());
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override public Integer call() { throw new IllegalStateException("a bug: the plan lost a buffer"); }
    }

    @Test
    void anInternalErrorExits70() {
        for (boolean verbose : new boolean[] {false, true}) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
            cl.addSubcommand("boom", new Boom());
            int code = verbose ? cl.execute("--verbose", "boom") : cl.execute("boom");
            assertEquals(70, code, err.toString());
            String first = err.toString().lines().findFirst().orElseThrow();
            assertTrue(first.startsWith("nnc: internal error: java.lang.IllegalStateException: a bug: the plan lost a buffer"), err.toString());
            assertEquals(verbose, err.toString().contains("\tat nnc.cli.ExitCodesTest$Boom.call"), "the stack trace only with --verbose: " + err);
        }
    }

    @Test
    void successExits0() {
        assertEquals(0, Run.nnc("check", samples().resolve("playground.nn")).code());
        assertEquals(0, Run.nnc("--help").code());
    }

    static Path samples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve("samples/playground.nn"))) return p.resolve("samples");
        throw new IllegalStateException("samples/ not found");
    }
}
