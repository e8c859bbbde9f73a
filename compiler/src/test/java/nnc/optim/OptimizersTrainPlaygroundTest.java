package nnc.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.cli.Main;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every optimiser trains the playground sample (DSL §3: 2-3-1 sigmoid network on
 * {@code circles(n = 1000, noise = 0.1)}, seed 1, bytecode back end) to at least 0.97 training
 * accuracy (issue 7's acceptance). The learning rate, batch and epochs of each are in the table;
 * gd takes the whole set per step, so its epochs are its steps.
 */
class OptimizersTrainPlaygroundTest {
    @TempDir Path tmp;

    @ParameterizedTest(name = "{0} with batch {1}, {2} epochs")
    @CsvSource(delimiter = ';', value = {
            "gd(lr = 5);            0;  1000; 1000",
            "sgd(lr = 0.5);         10; 60;   6000",
            "momentum(lr = 0.1);    10; 60;   6000",
            "nesterov(lr = 0.1);    10; 60;   6000",
            "adam(lr = 0.03);       10; 60;   6000",
            "adamw(lr = 0.03);      10; 60;   6000",
            "rmsprop(lr = 0.02);    10; 60;   6000"})
    void reaches97Percent(String optimizer, int batch, int epochs, int steps) throws Exception {
        Path f = tmp.resolve("playground.nn");
        Files.writeString(f, """
                model Playground {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  h      = sigmoid(dense(x, 3))
                  logits = dense(h, 1)
                  output p = sigmoid(logits)
                  loss   bce_with_logits(logits, y)
                }
                train {
                  data      circles(n = 1000, noise = 0.1)
                  optimizer %s
                  epochs    %d
                  seed      1
                  %s
                }
                """.formatted(optimizer, epochs, batch == 0 ? "" : "batch " + batch));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new String[] {"train", f.toString(), "--backend", "bytecode", "--json"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        String[] lines = out.toString().strip().split("\n");
        String json = lines[lines.length - 1];
        System.out.println(optimizer + ": " + json);
        assertTrue(field(json, "train_accuracy") >= 0.97, optimizer + ": " + json);
        assertEquals(steps, (int) field(json, "steps"), json);
    }

    static double field(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return Double.parseDouble(m.group(1));
    }
}
