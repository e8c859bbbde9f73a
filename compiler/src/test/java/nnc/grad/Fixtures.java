package nnc.grad;

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
}
