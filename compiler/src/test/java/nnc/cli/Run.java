package nnc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process for tests, and writes the playground models they train. */
public final class Run {
    public record Result(int code, String out, String err) {
        /** The last line of the standard output. */
        public String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }

        @Override public String toString() { return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    private Run() {}

    public static Result nnc(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) a[i] = args[i].toString();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(a, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** The playground network with {@code hidden} sigmoid units, an accuracy metric and {@code trainLines} as its train block, as {@code dir/NAME.nn}. */
    public static Path playground(Path dir, String name, int hidden, String trainLines) throws IOException {
        Path f = dir.resolve(name + ".nn");
        Files.writeString(f, """
                model Playground {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  h      = sigmoid(dense(x, %d))
                  logits = dense(h, 1)
                  output p = sigmoid(logits)
                  loss   bce_with_logits(logits, y)
                  metric accuracy(p, y)
                }
                train {
                %s
                }
                """.formatted(hidden, trainLines));
        return f;
    }

    /** {@link #playground} with 4 hidden units. */
    static Path model(Path dir, String name, String trainLines) throws IOException {
        return playground(dir, name, 4, trainLines);
    }

    /** A small quick run: 200 circles, batch 16, {@code epochs} epochs. */
    static Path small(Path dir, int epochs) throws IOException {
        return model(dir, "small", "  data circles(n = 200, noise = 0.1)\n  optimizer sgd(lr = 0.5)\n  batch 16\n  epochs " + epochs + "\n  seed 3");
    }
}
