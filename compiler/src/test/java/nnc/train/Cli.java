package nnc.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.cli.Main;

/** Runs the command line in-process for the tests of this package, and writes their models. */
final class Cli {
    record Result(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private Cli() {}

    static Result nnc(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) a[i] = args[i].toString();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(a, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** The playground network (DSL §3) with {@code trainLines} as its train block, written to {@code dir/NAME.nn}. */
    static Path playground(Path dir, String name, int hidden, String trainLines) throws IOException {
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
}
