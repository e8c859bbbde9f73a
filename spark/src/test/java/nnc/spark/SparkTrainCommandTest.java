package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

/** {@code nnc train --spark local[2]} in-process, nnc-spark found through ServiceLoader: P = 1 against one JVM, checkpoint and resume. */
class SparkTrainCommandTest {
    @TempDir Path tmp;

    Path model() throws Exception {
        Path f = tmp.resolve("circles.nn");
        Files.writeString(f, """
                model Circles {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  h      = tanh(dense(x, 8))
                  logits = dense(h, 1)
                  output p = sigmoid(logits)
                  loss   bce_with_logits(logits, y)
                  metric accuracy(p, y)
                }
                train {
                  data circles(n = 300, noise = 0.1)
                  optimizer adam(lr = 0.05)
                  batch 32
                  epochs 4
                  seed 3
                }
                """);
        return f;
    }

    record Result(int code, String out, String err) {}

    static Result nnc(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) a[i] = args[i].toString();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(a, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test void onePartitionSavesWhatOneJvmSaves() throws Exception {
        Path f = model();
        Result one = nnc("train", f, "--save", tmp.resolve("one.safetensors"));
        Result spark = nnc("train", f, "--spark", "local[2]", "--partitions", "1", "--save", tmp.resolve("spark.safetensors"), "--json");
        assertEquals(0, spark.code(), spark.toString());
        assertTrue(spark.out().contains("on Spark local[2] (4.2.0), 1 partitions per batch"), spark.out());
        assertTrue(spark.out().contains("epoch 4/4"), spark.out());
        assertTrue(spark.out().strip().lines().reduce((a, b) -> b).orElseThrow().startsWith("{\"final_loss\""), spark.out());
        assertEquals(0, one.code(), one.toString());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("one.safetensors")), Files.readAllBytes(tmp.resolve("spark.safetensors")));
    }

    @Test void aResumedRunEndsAsTheUninterruptedOne() throws Exception {
        Path f = model();
        Path dir = tmp.resolve("ckpt");
        Files.createDirectories(dir);
        Result whole = nnc("train", f, "--spark", "local[2]", "--save", tmp.resolve("whole.safetensors"));
        Result first = nnc("train", f, "--spark", "local[2]", "--epochs", "2", "--checkpoint", dir);
        Result rest = nnc("train", f, "--spark", "local[2]", "--resume", dir, "--save", tmp.resolve("resumed.safetensors"));
        for (Result r : new Result[] {whole, first, rest}) assertEquals(0, r.code(), r.toString());
        assertFalse(rest.out().contains("epoch 1/4"), rest.out());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("whole.safetensors")), Files.readAllBytes(tmp.resolve("resumed.safetensors")));
    }
}
