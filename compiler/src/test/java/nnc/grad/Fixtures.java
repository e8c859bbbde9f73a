package nnc.grad;

import nnc.runtime.io.Tensor;

import nnc.runtime.Numerics;

import nnc.driver.GradientRunner;

import nnc.driver.Backend;

import java.util.List;

import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.driver.Compilation;
import nnc.passes.SampleModules;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.TensorFile;

/**
 * The PyTorch reference fixtures in {@code compiler/src/test/resources/fixtures/}, written by
 * {@code benchmarks/pytorch/make_grad_fixtures.py}, and the sample models they belong to.
 */
final class Fixtures {
    /** Every model with fixtures: the samples, and test models under {@code src/test/resources/models}. */
    static final String[] SAMPLES = {"playground", "housing", "worked", "fashion_mlp", "logistic", "softmax", "resnet_s", "vocabulary", "batchnorm", "lenet", "convmix", "convopts", "bigram", "majority", "seqvocab", "last_step", "char_rnn", "recurrent", "tiny_transformer", "norms", "layeropts", "handlstm", "plumbing", "bidir", "bidirmask"};

    private Fixtures() {}

    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve("samples/playground.nn")) && Files.isDirectory(p.resolve("compiler"))) return p;
        throw new IllegalStateException("the repository root is not above " + Path.of("").toAbsolutePath());
    }

    static Path model(String sample) {
        Path p = root().resolve("samples").resolve(sample + ".nn");
        return Files.exists(p) ? p : root().resolve("compiler/src/test/resources/models").resolve(sample + ".nn");
    }

    /** The compilation of {@code sample}, shared with every test of this JVM ({@link SampleModules#stagesOf}). */
    static Compilation load(String sample) { return SampleModules.stagesOf(model(sample)); }

    /** {@code kind} is params, inputs or grads. */
    static Path file(String sample, String kind) {
        return root().resolve("compiler/src/test/resources/fixtures").resolve(sample + "." + kind + ".safetensors");
    }

    static TensorFile read(String sample, String kind) { return SafeTensors.read(file(sample, kind)); }

    /** Whether nnc's value {@code got} agrees with PyTorch's {@code expected}. */
    interface Agreement {
        boolean agrees(float got, float expected);
    }

    /**
     * Fixture model {@code sample} run on {@code backend} with the fixture's parameters and inputs: each
     * element of its loss and gradients that does not agree with PyTorch's, as a line ({@code name[i] = got,
     * PyTorch expected}); shapes must match and the fixture must give every parameter.
     */
    static List<String> disagreements(String sample, Backend backend, Agreement agreement) {
        TensorFile expected = read(sample, "grads");
        GradientRunner.Result r = new GradientRunner(load(sample), backend, Numerics.Mode.OFF)
                .run(read(sample, "params"), read(sample, "inputs"), 0);
        assertTrue(r.initialized().isEmpty(), "the fixture gives every parameter: " + r.initialized());
        List<String> failures = new ArrayList<>();
        for (Tensor got : r.tensors()) {
            Tensor ref = expected.tensors().get(got.name());
            assertArrayEquals(ref.shape(), got.shape(), got.name() + ": shape");
            float[] g = got.f32(), e = ref.f32();
            for (int i = 0; i < e.length; i++)
                if (!agreement.agrees(g[i], e[i])) failures.add(got.name() + "[" + i + "] = " + g[i] + ", PyTorch " + e[i]);
        }
        return failures;
    }
}
