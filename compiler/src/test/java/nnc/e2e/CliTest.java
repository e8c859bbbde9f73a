package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as a user meets it: exit codes, diagnostics, summaries, generated files. */
class CliTest {
    record Result(int code, String out, String err) {}

    static Result nnc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @TempDir Path tmp;

    @Test
    void syntaxErrorIsReportedWithPositionAndExitCode1() throws Exception {
        Path f = tmp.resolve("bad.nn");
        Files.writeString(f, "model M {\n  input x: f32[batch, 2]\n  output p = sigmoid(x @ )\n}\n");
        Result r = nnc("check", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith(f + ":3:"), r.err());
        assertTrue(r.err().contains(": error: "), r.err());
        assertFalse(r.err().contains("at nnc."), "no stack trace: " + r.err());
    }

    @Test
    void shapeMismatchIsReportedWithBothShapes() throws Exception {
        Path f = tmp.resolve("shape.nn");
        Files.writeString(f, """
                model M {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  param  w: f32[3, 1] = zeros
                  output p = sigmoid(x @ w)
                  loss   bce(p, y)
                }
                """);
        Result r = nnc("train", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith(f + ":5:"), r.err());
        assertTrue(r.err().contains("[batch,2]") && r.err().contains("[3,1]"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void missingFileIsAUserError() {
        Result r = nnc("train", tmp.resolve("nope.nn").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no such file"), r.err());
    }

    @Test
    void checkPrintsASummary() {
        Result r = nnc("check", Samples.file("playground").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("h.W") && r.out().contains("f32[2,3]"), r.out());
        assertTrue(r.out().contains("13 trainable parameters"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lower", "autodiff", "train", "optimizer", "schedule"})
    void irPrintsEveryStage(String stage) {
        Result r = nnc("ir", Samples.file("playground").toString(), "--after", stage);
        assertEquals(0, r.code(), r.err());
        assertTrue(stage.equals("schedule") ? r.out().contains("entry train") : r.out().contains("graph train"), r.out());
        if (stage.equals("autodiff")) assertTrue(r.out().contains("output grad.h.W"), r.out());
        if (stage.equals("train") || stage.equals("optimizer")) assertTrue(r.out().contains("update h.W"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "class"})
    void compileWritesTheTrainer(String emit) {
        Result r = nnc("compile", Samples.file("playground").toString(), "--emit", emit, "-o", tmp.toString());
        assertEquals(0, r.code(), r.err());
        Path written = tmp.resolve("nnc/generated/Playground." + emit);
        assertTrue(Files.exists(written), r.out());
    }

    @Test
    void trainWithoutDataSaysWhatToAdd() throws Exception {
        Path f = tmp.resolve("nodata.nn");
        Files.writeString(f, Files.readString(Samples.file("housing")).replaceAll("(?m)^\\s*data .*$", ""));
        Result r = nnc("train", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no training data"), r.err());
    }
}
