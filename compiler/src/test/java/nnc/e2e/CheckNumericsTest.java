package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --check-numerics}: diverging runs stop with exit 1 naming the step and the first non-finite
 * tensor and element (on by default, every back end); loaded parameters and checkpoints holding NaN
 * are rejected naming the file, tensor and element; {@code full} names the kernel (the operation, in
 * the interpreter) and its {@code .nn} line; a healthy run's results do not change.
 */
class CheckNumericsTest {
    @TempDir Path tmp;

    static CliTest.Result nnc(String... args) { return CliTest.nnc(args); }

    private Path sample(String name, String from, String to) throws Exception {
        Path f = tmp.resolve(name + ".nn");
        String text = Files.readString(Samples.file(name));
        assertTrue(text.contains(from), from);
        Files.writeString(f, text.replace(from, to));
        return f;
    }

    private static void assertFailure(CliTest.Result r, String... expected) {
        assertEquals(1, r.code(), r.out() + r.err());
        for (String e : expected) assertTrue(r.err().contains(e), "expected «" + e + "» in:\n" + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace:\n" + r.err());
    }

    /** The fuzzer's probe: lr = 1e6 on the logistic regression sample makes the loss NaN at step 3. */
    @ParameterizedTest
    @ValueSource(strings = {"interp", "java", "bytecode"})
    void aNanLossStopsTrainingNamingTheStepAndTheTensor(String backend) throws Exception {
        Path f = sample("logistic", "sgd(lr = 0.5)", "sgd(lr = 1e6)");
        assertFailure(nnc("train", f.toString(), "--backend", backend),
                "nnc: error: training diverged in epoch 1, step 3 of 32 (step 3 overall): the loss is NaN; parameter w holds NaN at [0, 0]; --check-numerics=full names the first kernel and line that made one; try a lower learning rate");
    }

    /** A linear model whose single full-batch step overflows its parameters while its loss (computed before the update) is finite. */
    private Path overflowOnTheLastStep() throws Exception {
        Path f = tmp.resolve("overflow.nn");
        Files.copy(Samples.file("housing").resolveSibling("data/housing.csv"), tmp.resolve("housing.csv"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(f, """
                model Overflow {
                  input  size:  f32[batch, 1]
                  target price: f32[batch, 1]
                  param  w: f32[1, 1] = ones
                  param  b: f32[1]    = zeros
                  output pred = size @ w * 1000 + b
                  loss   mse(pred, price)
                }
                train {
                  data      csv("housing.csv", label = "price")
                  optimizer gd(lr = 1e36)
                  epochs    1
                  seed      1
                }
                """);
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "java", "bytecode"})
    void parametersThatOverflowOnTheLastStepStopTrainingBeforeTheyAreSaved(String backend) throws Exception {
        Path save = tmp.resolve("p.safetensors");
        CliTest.Result r = nnc("train", overflowOnTheLastStep().toString(), "--backend", backend, "--save", save.toString());
        assertFailure(r, "nnc: error: training diverged in epoch 1 (after step 1 overall): parameter w holds -Infinity at [0, 0]");
        assertFalse(Files.exists(save), "non-finite parameters were saved");
        CliTest.Result off = nnc("train", overflowOnTheLastStep().toString(), "--backend", backend, "--check-numerics=off");
        assertEquals(0, off.code(), "off checks nothing: " + off.err());
    }

    @Test
    void aValidationLossThatOverflowsStopsTraining() throws Exception {
        Files.copy(Samples.file("housing").resolveSibling("data/housing.csv"), tmp.resolve("housing.csv"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(tmp.resolve("huge.csv"), "size,price\n1e30,1\n");
        Path f = tmp.resolve("validate.nn");
        Files.writeString(f, Files.readString(Samples.file("housing")).replace("data/housing.csv", "housing.csv")
                .replace("  optimizer", "  validate  csv(\"huge.csv\", label = \"price\")\n  optimizer").replace("relu(size @ w + b)", "size @ w + b"));
        assertFailure(nnc("train", f.toString(), "--epochs", "2"),
                "nnc: error: the validation loss after epoch 1 is Infinity while every parameter is finite");
        assertEquals(0, nnc("train", f.toString(), "--epochs", "2", "--check-numerics=off").code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"interp", "java", "bytecode"})
    void fullModeNamesTheKernelAndLineThatMadeTheFirstNan(String backend) throws Exception {
        Path f = tmp.resolve("sqrt.nn");
        Files.writeString(f, """
                model Sqrt {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  h      = dense(x, 1)
                  output z = sqrt(h - abs(h) - 1)
                  output p = sigmoid(h + z)
                  loss   bce(p, y)
                }
                train {
                  data      circles(n = 100)
                  optimizer sgd(lr = 0.1)
                  batch     10
                  epochs    1
                  seed      1
                }
                """);
        CliTest.Result r = nnc("train", f.toString(), "--backend", backend, "--check-numerics=full");
        String kernel = backend.equals("interp") ? "sqrt.nn:5: operation sqrt (of z) produced NaN at [0, 0]" : "sqrt.nn:5: kernel train";
        assertFailure(r, kernel, "produced NaN at [0, 0] in epoch 1, step 1 of 10 (step 1 overall)");
        if (!backend.equals("interp")) assertTrue(r.err().contains("(z = sqrt("), r.err());
        CliTest.Result on = nnc("train", f.toString(), "--backend", backend);
        assertFailure(on, "training diverged in epoch 1, step 1 of 10 (step 1 overall): the loss is NaN; parameter h.W holds NaN at [0, 0]");
        Path inputs = tmp.resolve("in.safetensors");
        SafeTensors.write(inputs, List.of(Tensor.f32("x", new long[] {2, 2}, new float[] {0.5f, 0.5f, 1, 1}),
                Tensor.f32("y", new long[] {2, 1}, new float[] {1, 0})));
        CliTest.Result grad = nnc("grad", f.toString(), "--inputs", inputs.toString(), "--out", tmp.resolve("g.safetensors").toString(),
                "--backend", backend, "--check-numerics=full");
        assertFailure(grad, backend.equals("interp") ? "sqrt.nn:5: operation sqrt (of z) produced NaN at [0, 0]" : "sqrt.nn:5: kernel ");
        assertEquals(0, nnc("grad", f.toString(), "--inputs", inputs.toString(), "--out", tmp.resolve("g.safetensors").toString(),
                "--backend", backend).code(), "grad reports NaN gradients as they are unless full");
    }

    @Test
    void bothEmittersReportTheSameKernelInFullMode() throws Exception {
        Path f = sample("logistic", "sgd(lr = 0.5)", "sgd(lr = 1e6)");
        CliTest.Result java = nnc("train", f.toString(), "--backend", "java", "--check-numerics=full");
        CliTest.Result bytecode = nnc("train", f.toString(), "--backend", "bytecode", "--check-numerics=full");
        assertFailure(java, "logistic.nn:8: kernel train1 (t9 = log(p[i0])) produced -Infinity at [4, 0] in epoch 1, step 2 of 32 (step 2 overall)");
        assertEquals(java.err(), bytecode.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"on", "full"})
    void checksLeaveAHealthyRunBitwiseUnchanged(String mode) {
        String file = Samples.file("playground").toString();
        for (String backend : List.of("interp", "java", "bytecode")) {
            CliTest.Result off = nnc("train", file, "--backend", backend, "--epochs", "3", "--json", "--check-numerics=off");
            CliTest.Result checked = nnc("train", file, "--backend", backend, "--epochs", "3", "--json", "--check-numerics=" + mode);
            assertEquals(0, checked.code(), checked.err());
            assertEquals(strip(off.out()), strip(checked.out()), backend);
        }
    }

    private static String strip(String out) {
        return out.replaceAll("[\\d,.]+ samples/s", "").replaceAll("\"samples_per_s\":[^,]*,", "");
    }

    /** The playground's parameters with {@code value} at element [1, 2] of h.W. */
    private Path poisonedParams(float value) throws Exception {
        Path good = tmp.resolve("good.safetensors");
        assertEquals(0, nnc("train", Samples.file("playground").toString(), "--epochs", "1", "--save", good.toString()).code());
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : SafeTensors.read(good).tensors().values()) {
            float[] v = t.f32().clone();
            if (t.name().equals("h.W")) v[1 * 3 + 2] = value;
            tensors.add(Tensor.f32(t.name(), t.shape(), v));
        }
        Path bad = tmp.resolve("bad.safetensors");
        SafeTensors.write(bad, tensors);
        return bad;
    }

    @Test
    void loadedParametersHoldingNanOrInfinityAreRejected() throws Exception {
        String model = Samples.file("playground").toString();
        Path nan = poisonedParams(Float.NaN);
        String expected = nan + ": error: tensor h.W holds NaN at [1, 2] (--check-numerics=off loads it anyway)";
        assertFailure(nnc("eval", model, "--params", nan.toString()), expected);
        Path x = tmp.resolve("x.csv");
        Files.writeString(x, "0.5,0.5\n");
        assertFailure(nnc("predict", model, "--params", nan.toString(), "--input", x.toString(), "--out", tmp.resolve("y.csv").toString()), expected);
        Path inputs = tmp.resolve("in.safetensors");
        SafeTensors.write(inputs, List.of(Tensor.f32("x", new long[] {1, 2}, new float[] {0.5f, 0.5f}), Tensor.f32("y", new long[] {1, 1}, new float[] {1})));
        assertFailure(nnc("grad", model, "--params", nan.toString(), "--inputs", inputs.toString(), "--out", tmp.resolve("g.safetensors").toString()), expected);
        Path inf = poisonedParams(Float.NEGATIVE_INFINITY);
        assertFailure(nnc("eval", model, "--params", inf.toString()), "tensor h.W holds -Infinity at [1, 2]");
        assertEquals(0, nnc("eval", model, "--params", nan.toString(), "--check-numerics=off").code());
    }

    @Test
    void aCheckpointHoldingNanIsNotResumed() throws Exception {
        String model = Samples.file("playground").toString();
        Path dir = tmp.resolve("ck");
        assertEquals(0, nnc("train", model, "--epochs", "1", "--checkpoint", dir.toString()).code());
        Path file = dir.resolve("last.safetensors");
        TensorFile ck = SafeTensors.read(file);
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : ck.tensors().values()) {
            if (t.name().equals("logits.b")) tensors.add(Tensor.f32(t.name(), t.shape(), new float[] {Float.POSITIVE_INFINITY}));
            else tensors.add(t);
        }
        SafeTensors.write(file, tensors, ck.metadata());
        assertFailure(nnc("train", model, "--epochs", "2", "--resume", dir.toString()),
                file + ": error: tensor logits.b holds Infinity at [0]; a run cannot resume from non-finite values");
    }

    @Test
    void aBadModeIsAUsageError() {
        CliTest.Result r = nnc("train", Samples.file("playground").toString(), "--check-numerics=sometimes");
        assertTrue(r.code() == 2 || r.code() == 64, r.code() + " " + r.err());
        assertTrue(r.err().contains("expected off, on or full, not 'sometimes'"), r.err());
    }
}
