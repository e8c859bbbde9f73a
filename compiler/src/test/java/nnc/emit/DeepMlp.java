package nnc.emit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.driver.Compilation;
import nnc.passes.SampleModules;

/**
 * Deep MLPs as {@code .nn} programs, for the tests that every depth compiles: {@code layers} hidden
 * layers of 32 units on 32 inputs and four Gaussian classes, either {@code h_i = relu(dense(h_{i-1},
 * 32))} trained with Adam or {@code h_i = dense(h_{i-1}, 32)} (a chain of products) trained with SGD.
 */
public record DeepMlp(int layers, boolean relu) {
    /** The model's name: {@code DeepRelu63}, {@code DeepDense126}. */
    public String name() { return (relu ? "DeepRelu" : "DeepDense") + layers; }

    /** The program's text, with a train block on synthetic data. */
    public String source() {
        StringBuilder s = new StringBuilder("model " + name() + " {\n  input  x: f32[batch, 32]\n  target y: i32[batch]\n");
        String previous = "x";
        for (int i = 1; i <= layers; i++) {
            s.append("  h").append(i).append(" = ").append(relu ? "relu(dense(" + previous + ", 32))" : "dense(" + previous + ", 32)").append('\n');
            previous = "h" + i;
        }
        s.append("  output logits = dense(").append(previous).append(", 4)\n  loss   cross_entropy(logits, y)\n}\n");
        s.append("train {\n  data      gaussians(n = 256, dim = 32, classes = 4)\n");
        s.append(relu ? "  optimizer adam(lr = 0.001)\n" : "  optimizer sgd(lr = 0.0001)\n");
        return s.append("  batch     32\n  epochs    1\n  seed      1\n}\n").toString();
    }

    /** The program written to {@code dir}. */
    public Path write(Path dir) {
        try {
            return Files.writeString(dir.resolve(name() + ".nn"), source());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its stages (lowered, differentiated, trained, optimised), through a file in {@code dir}. */
    public Compilation stages(Path dir) { return SampleModules.stagesOf(write(dir)); }
}
