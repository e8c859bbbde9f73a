package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import nnc.runtime.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzer's probes of issue 12 through the command line: each ends with exit 0 and the right
 * result, or exit 1 and one line naming the file and position; none crashes or allocates what an
 * input claims. Big sizes come from files of a few bytes and a small --max-memory.
 */
class UntrustedInputCliTest {
    @TempDir Path tmp;

    @AfterEach void restore() { Limits.setMaxMemory(Limits.defaultMaxMemory()); }

    private Path write(String name, String text) throws IOException { return Files.writeString(tmp.resolve(name), text); }

    private static CliTest.Result nnc(String... args) { return CliTest.nnc(args); }

    /** Exit 1 with exactly one line that contains {@code expected}, and no stack trace. */
    private static void fails(CliTest.Result r, String expected) {
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }

    private static String classifier(String data, String more) {
        return """
                model M {
                  input  x: f32[batch, 2]
                  target y: i32[batch]
                  %s
                  logits = dense(x, 3)
                  loss   cross_entropy(logits, y)
                }
                train {
                  data      %s
                  optimizer sgd(lr = 0.1)
                  batch     2
                  epochs    1
                }
                """.formatted(more, data);
    }

    private static byte[] idx(int[] dims, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        b.put(new byte[] {0, 0, 8, (byte) dims.length});
        for (int d : dims) b.putInt(d);
        return b.put(body).array();
    }

    @Test
    void aModelTooLargeForTheLimitNamesItsLargestTensor() throws IOException {
        Path big = write("big.nn", """
                model Big {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  logits = dense(dense(x, 100000000), 1)
                  loss   bce_with_logits(logits, y)
                }
                train { data circles(n = 100)  batch 10  epochs 1 }
                """);
        var r = nnc("train", big.toString(), "--max-memory", "1g");
        fails(r, " GiB at batch 10 for its tensors and buffers (the largest: ");
        assertTrue(r.err().startsWith("nnc: error: model Big needs "), r.err());
        assertTrue(r.err().strip().endsWith(" f32[batch,100000000], 3.7 GiB), over the memory limit of 1.0 GiB (--max-memory)"), r.err());
        fails(nnc("train", big.toString(), "--max-memory", "1g", "--backend", "interp"), "over the memory limit of 1.0 GiB (--max-memory)");
        Path unused = write("unused.nn", classifier("circles(n = 10)", "param W: f32[46340, 46340]"));
        fails(nnc("train", unused.toString(), "--max-memory", "1g"), "model M needs 8.0 GiB at batch 2 for its tensors and buffers"
                + " (the largest: W f32[46340,46340], 8.0 GiB), over the memory limit of 1.0 GiB (--max-memory)");
    }

    @Test
    void batchesAndDataSetsPastAJavaArrayAreErrors() throws IOException {
        fails(nnc("bench", Samples.file("playground").toString(), "--batch", "1000000000", "--max-memory", "100g"),
                " f32[batch,3] holds 3,000,000,000 values at batch 1,000,000,000, more than one Java array holds"
                        + " (2,147,483,639); a batch of at most 715,827,879 fits");
        Path circles = write("c.nn", classifier("circles(n = 2000000000)", ""));
        fails(nnc("train", circles.toString()), "c.nn:9:13: circles: n = 2000000000 rows of 2 features make 4,000,000,000 values,"
                + " more than one Java array holds (2,147,483,639)");
    }

    @Test
    void untrustedFileSizesAreCheckedBeforeAllocating() throws IOException {
        Files.write(tmp.resolve("big.idx"), idx(new int[] {1, 46340, 46340}, new byte[0])); // 16 bytes
        Files.write(tmp.resolve("lab.idx"), idx(new int[] {1}, new byte[] {0}));
        Path m = write("m.nn", classifier("idx(\"big.idx\", \"lab.idx\")", ""));
        fails(nnc("train", m.toString(), "--max-memory", "2g"), tmp.resolve("big.idx") + ": the header declares [1, 46340, 46340]"
                + " = 2,147,395,600 values (8.0 GiB), over the memory limit of 2.0 GiB (--max-memory)");
        fails(nnc("eval", Samples.file("playground").toString(), "--params", "/dev/zero"), "/dev/zero: error: the header is not valid JSON");
        fails(nnc("check", "/dev/zero"), "/dev/zero: error: the file is longer than 1,048,576 bytes, the limit for a .nn source");
        Path huge = write("huge.nn", "// " + "x".repeat(Limits.MAX_SOURCE_BYTES) + "\n");
        fails(nnc("check", huge.toString()), huge + ": error: the file is longer than 1,048,576 bytes");
    }

    @Test
    void eachRunSetsItsOwnLimit() {
        String model = Samples.file("playground").toString();
        fails(nnc("train", model, "--epochs", "1", "--max-memory", "1k"), "over the memory limit of 1.0 KiB (--max-memory)");
        var r = nnc("train", model, "--epochs", "1"); // the next run in the same JVM is back at the default
        assertEquals(0, r.code(), r.err());
        assertEquals(Limits.defaultMaxMemory(), Limits.maxMemory());
    }

    @Test
    void badMaxMemoryIsAUsageError() {
        var r = nnc("bench", Samples.file("playground").toString(), "--max-memory", "lots");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'lots' is not a byte count (write e.g. 8g, 512m, 100000k or 1000000)"), r.err());
    }

    @Test
    void aNulInADataPathIsAPositionedError() throws IOException {
        Path m = write("nul.nn", classifier("csv(\"a\0b.csv\", label = y)", ""));
        fails(nnc("check", m.toString()), "nul.nn:9:17: error: a file name cannot hold a NUL character (at position 2)");
    }

    @Test
    void labelsOutOfRangeForTheModelAreNamedByFileAndRow() throws IOException {
        write("good.csv", "a,b,y\n1,2,0\n3,4,2\n5,6,1\n");
        Path good = write("good.nn", classifier("csv(\"good.csv\", label = y)", ""));
        Path params = tmp.resolve("p.safetensors");
        assertEquals(0, nnc("train", good.toString(), "--save", params.toString()).code());
        for (String label : new String[] {"9", "-1", "1000000"}) {
            Path csv = write("d.csv", "a,b,y\n1,2,0\n3,4," + label + "\n5,6,1\n");
            Path m = write("m.nn", classifier("csv(\"d.csv\", label = y)", ""));
            fails(nnc("train", m.toString()), csv + ": row 2: label " + label + " is out of range for 3 classes");
            fails(nnc("eval", good.toString(), "--params", params.toString(), "--data", "csv(\"" + csv + "\", label = y)"),
                    csv + ": row 2: label " + label + " is out of range for 3 classes");
        }
        Files.write(tmp.resolve("img.idx"), idx(new int[] {3, 1, 2}, new byte[6]));
        Files.write(tmp.resolve("lab.idx"), idx(new int[] {3}, new byte[] {0, 1, 9}));
        Path m = write("i.nn", classifier("idx(\"img.idx\", \"lab.idx\")", ""));
        fails(nnc("train", m.toString()), tmp.resolve("lab.idx") + ": row 3: label 9 is out of range for 3 classes");
    }

    @Test
    void crossEntropyOverOneClassIsACheckerError() throws IOException {
        Path m = write("one.nn", classifier("circles(n = 10)", "").replace("dense(x, 3)", "dense(x, 1)"));
        fails(nnc("check", m.toString()), "one.nn:6:24: error: cross_entropy over 1 class is always 0");
    }

    @Test
    void aGzipWithABadCrcIsAnError() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var g = new GZIPOutputStream(out)) { g.write(idx(new int[] {2, 1, 2}, new byte[] {1, 2, 3, 4})); }
        byte[] gz = out.toByteArray();
        gz[gz.length - 8] ^= 1;
        Files.write(tmp.resolve("img.gz"), gz);
        Files.write(tmp.resolve("lab.idx"), idx(new int[] {2}, new byte[] {0, 1}));
        Path m = write("g.nn", classifier("idx(\"img.gz\", \"lab.idx\")", ""));
        fails(nnc("train", m.toString()), tmp.resolve("img.gz") + " is not valid gzip data: Corrupt GZIP trailer");
    }

    @Test
    void predictReadsInputsAsTrainingDoes() throws IOException {
        Path params = tmp.resolve("p.safetensors");
        assertEquals(0, nnc("train", Samples.file("playground").toString(), "--epochs", "1", "--save", params.toString()).code());
        String model = Samples.file("playground").toString();
        Path nan = write("X.csv", "1,2\nNaN,3\n");
        fails(nnc("predict", model, "--params", params.toString(), "--input", nan.toString(), "--out", tmp.resolve("y.csv").toString()),
                nan + ": row 2, column 1: NaN is not a finite number");
        Path negative = Files.write(tmp.resolve("n.idx"), idx(new int[] {-2, -1}, new byte[0]));
        fails(nnc("predict", model, "--params", params.toString(), "--input", negative.toString(), "--out", tmp.resolve("y.csv").toString()),
                negative + ": dimension 0 has an impossible size 4294967294");
        Path unnamed = Files.write(tmp.resolve("inputs"), idx(new int[] {2, 2}, new byte[] {1, 2, 3, 4})); // IDX, not named so
        Path y = tmp.resolve("y.csv");
        var r = nnc("predict", model, "--params", params.toString(), "--input", unnamed.toString(), "--out", y.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, Files.readAllLines(y).size());
    }

    @Test
    void theNonFiniteOptInIsChecked() throws IOException {
        fails(nnc("check", write("a.nn", classifier("csv(\"d.csv\", label = y, allow_nonfinite = 1)", "")).toString()),
                "a.nn:9:55: error: allow_nonfinite must be true or false");
        fails(nnc("check", write("b.nn", classifier("circles(n = 10, allow_nonfinite = true)", "")).toString()),
                "b.nn:9:29: error: only csv(...) takes allow_nonfinite");
        Path csv = write("d.csv", "a,b,y\n1,inf,0\n3,4,1\n");
        Path ok = write("c.nn", classifier("csv(\"d.csv\", label = y, allow_nonfinite = true)", ""));
        assertEquals(0, nnc("check", ok.toString()).code());
        fails(nnc("train", write("e.nn", classifier("csv(\"d.csv\", label = y)", "")).toString()),
                csv + ": row 1, column 2 ('b'): inf is not a finite number");
        // opted in, a model that masks them trains on finite values
        write("nan.csv", "a,b,y\n1,2,0\n3,NaN,1\n5,6,1\n-1,-2,0\n");
        Path masked = write("masked.nn", """
                model M {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  logits = dense(where(x == x, x, 0), 1)
                  loss   bce_with_logits(logits, y)
                }
                train { data csv("nan.csv", label = y, allow_nonfinite = true)  batch 2  epochs 3 }
                """);
        var r = nnc("train", masked.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        var loss = Pattern.compile("\"final_loss\":([-0-9.eE]+)").matcher(r.out());
        assertTrue(loss.find() && Double.isFinite(Double.parseDouble(loss.group(1))), r.out());
    }
}
