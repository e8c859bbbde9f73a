package nnc.grad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.cli.Main;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code nnc grad} as a user meets it: files in, a file out, and clear errors with exit code 1. */
class GradCommandTest {
    record Result(int code, String out, String err) {}

    @TempDir Path tmp;

    static Result nnc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Result grad(String sample, Path params, Path inputs, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("grad", Fixtures.model(sample).toString(), "--inputs", inputs.toString(), "--out", out.toString()));
        if (params != null) args.addAll(List.of("--params", params.toString()));
        args.addAll(List.of(more));
        return nnc(args.toArray(String[]::new));
    }

    private static void assertUserError(Result r, String expected) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expected), "expected «" + expected + "» in:\n" + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace:\n" + r.err());
    }

    private Path write(String name, Tensor... tensors) {
        Path f = tmp.resolve(name);
        SafeTensors.write(f, List.of(tensors));
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "java", "bytecode"})
    void writesTheLossAndAGradientPerParameterUnderItsName(String backend) {
        Path out = tmp.resolve("G.safetensors");
        Result r = grad("playground", Fixtures.file("playground", "params"), Fixtures.file("playground", "inputs"), out, "--backend", backend);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": loss "), r.out());
        TensorFile g = SafeTensors.read(out);
        assertEquals(Set.of("loss", "h.W", "h.b", "logits.W", "logits.b"), g.tensors().keySet());
        assertArrayEquals(new long[] {2, 3}, g.tensors().get("h.W").shape());
        assertArrayEquals(new long[0], g.tensors().get("loss").shape());
        assertEquals(Map.of("model", "Playground", "backend", backend), g.metadata());
        TensorFile ref = Fixtures.read("playground", "grads");
        for (Tensor t : g.tensors().values())
            assertTrue(PyTorchGradientTest.relativeError(t.f32(), ref.tensors().get(t.name()).f32()) <= PyTorchGradientTest.TOLERANCE, t.name());
    }

    @Test
    void misshapedParameterIsReportedByName() {
        Path p = write("P.safetensors", Tensor.f32("h.W", new long[] {3, 2}, new float[6]));
        Result r = grad("playground", p, Fixtures.file("playground", "inputs"), tmp.resolve("G.safetensors"));
        assertUserError(r, p + ": error: tensor h.W has shape [3, 2], the model's h.W is f32[2,3]");
        assertFalse(Files.exists(tmp.resolve("G.safetensors")), "nothing written on error");
    }

    @Test
    void missingInputIsReportedWithItsType() throws IOException {
        TensorFile in = Fixtures.read("playground", "inputs");
        Path i = write("I.safetensors", in.tensors().get("y"));
        Result r = grad("playground", Fixtures.file("playground", "params"), i, tmp.resolve("G.safetensors"));
        assertUserError(r, i + ": error: missing input x (f32[batch,2])");
    }

    @Test
    void corruptParamsFileIsAUserErrorWithoutStackTrace() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.file("playground", "params"));
        Path p = tmp.resolve("P.safetensors");
        Files.write(p, Arrays.copyOf(good, good.length - 5));
        Result r = grad("playground", p, Fixtures.file("playground", "inputs"), tmp.resolve("G.safetensors"));
        assertUserError(r, p + ": error: tensor logits.W: data_offsets [36, 48] go beyond the data section (47 bytes)");
    }

    @Test
    void missingParamsFileIsAUserError() {
        Path p = tmp.resolve("nope.safetensors");
        assertUserError(grad("playground", p, Fixtures.file("playground", "inputs"), tmp.resolve("G.safetensors")), p + ": error: no such file");
    }

    @Test
    void everyProblemIsListedAndUnknownNamesListWhatIsExpected() {
        Path p = write("P.safetensors", Tensor.f32("h.w", new long[] {2, 3}, new float[6]), Tensor.f32("x", new long[] {1, 2}, new float[2]),
                Tensor.i32("logits.b", new long[] {1}, new int[1]));
        Path i = write("I.safetensors", Tensor.f32("x", new long[] {8, 2}, new float[16]), Tensor.f32("y", new long[] {4, 1}, new float[4]));
        Result r = grad("playground", p, i, tmp.resolve("G.safetensors"));
        assertUserError(r, p + ": error: unknown tensor h.w; model Playground's parameters are h.W (f32[2,3]), h.b (f32[3]), "
                + "logits.W (f32[3,1]), logits.b (f32[1])");
        assertUserError(r, p + ": error: tensor x is an input of model Playground, not a parameter");
        assertUserError(r, p + ": error: tensor logits.b is i32, the model's logits.b is f32[1]");
        assertUserError(r, i + ": error: tensor y has 4 rows, x has 8 (inputs and targets must agree on the batch size)");
    }

    @Test
    void classIndicesMayBeI32AndAreRangeChecked() {
        TensorFile in = Fixtures.read("fashion_mlp", "inputs");
        Tensor x = in.tensors().get("x");
        int[] labels = in.tensors().get("y").i32().clone();
        Path ok = write("ok.safetensors", x, Tensor.i32("y", new long[] {8}, labels));
        Path out = tmp.resolve("G.safetensors");
        Result r = grad("fashion_mlp", Fixtures.file("fashion_mlp", "params"), ok, out);
        assertEquals(0, r.code(), r.err());
        assertEquals(Fixtures.read("fashion_mlp", "grads").tensors().get("loss").f32()[0], SafeTensors.read(out).tensors().get("loss").f32()[0], 1e-6);

        labels[5] = 10;
        Path bad = write("bad.safetensors", x, Tensor.i32("y", new long[] {8}, labels));
        assertUserError(grad("fashion_mlp", Fixtures.file("fashion_mlp", "params"), bad, out),
                bad + ": error: target y holds 10 at index 5, not a class index of the model (0..9)");
    }

    @Test
    void parametersNotGivenComeFromTheSeed() {
        Path in = Fixtures.file("fashion_mlp", "inputs");
        Path p = write("P.safetensors", Fixtures.read("fashion_mlp", "params").tensors().get("h.W"));
        Result a = grad("fashion_mlp", p, in, tmp.resolve("a.safetensors"), "--seed", "7");
        Result b = grad("fashion_mlp", p, in, tmp.resolve("b.safetensors"), "--seed", "7");
        Result c = grad("fashion_mlp", null, in, tmp.resolve("c.safetensors"), "--seed", "8");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().contains("initialised from seed 7: h.b, logits.W, logits.b"), a.out());
        assertTrue(c.out().contains("initialised from seed 8: h.W, h.b, logits.W, logits.b"), c.out());
        Tensor ga = SafeTensors.read(tmp.resolve("a.safetensors")).tensors().get("logits.W");
        assertEquals(ga, SafeTensors.read(tmp.resolve("b.safetensors")).tensors().get("logits.W"), "same seed, same gradients");
        assertFalse(ga.equals(SafeTensors.read(tmp.resolve("c.safetensors")).tensors().get("logits.W")), "another seed, other gradients");
        double err = PyTorchGradientTest.relativeError(ga.f32(), Fixtures.read("fashion_mlp", "grads").tensors().get("logits.W").f32());
        assertTrue(err > 0.1, "with other parameters the comparison with PyTorch must fail, got " + err);
    }

    @Test
    void unknownBackendIsAUsageError() {
        Result r = grad("worked", null, Fixtures.file("worked", "inputs"), tmp.resolve("G.safetensors"), "--backend", "gpu");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unknown backend 'gpu'"), r.err());
    }

    @Test
    void outputIntoAMissingDirectoryIsAUserError() {
        Path out = tmp.resolve("no/dir/G.safetensors");
        assertUserError(grad("worked", Fixtures.file("worked", "params"), Fixtures.file("worked", "inputs"), out), out + ": error: cannot write the file");
    }
}
