package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.CompiledModel;
import nnc.runtime.io.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc bench --data K}: the batches are the train block's data rows in file order, cycled
 * after K; the JSON line counts the parameters and the cycled batches and orders the cold-start
 * times; a model without data, or too little of it, is a clear user error.
 */
class BenchDataTest {
    static final Path IMAGES = Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    static final Path LABELS = Path.of("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");

    @TempDir Path dir;

    /** A 2-feature model reading {@code rows} of a CSV whose row r is (r, −r, label r mod 2), batch 4. */
    Path csvModel(int rows) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int r = 0; r < rows; r++) csv.append(r).append(',').append(-r).append(',').append(r % 2).append('\n');
        Files.writeString(dir.resolve("rows.csv"), csv);
        return Run.playground(dir, "csv", 3, "  data csv(\"rows.csv\", label = \"label\")\n  optimizer sgd(lr = 0.1)\n  batch 4");
    }

    @Test
    void batchesAreTheDataRowsInFileOrderCycled() throws IOException {
        Path file = csvModel(10);
        Compilation c = Compilation.of(file);
        CompiledModel m = c.compiled(Backend.BYTECODE, 4);
        BenchBatches batches = BenchBatches.fromData(c, dir, m, 4, 8);
        assertEquals(2, batches.count(), "10 rows hold 2 whole batches of 4");
        float[][] want = {{0, 0, 1, -1, 2, -2, 3, -3}, {4, -4, 5, -5, 6, -6, 7, -7}};
        float[][] wantY = {{0, 1, 0, 1}, {0, 1, 0, 1}};
        for (int step = 0; step < 3; step++) {
            assertArrayEquals(want[step % 2], slice(m, "x", 8), "batch of step " + step);
            assertArrayEquals(wantY[step % 2], slice(m, "y", 4), "targets of step " + step);
            batches.next();
        }
    }

    @Test
    void firstFashionBatchIsTheFilesFirstImagesScaled() throws IOException {
        assertTrue(Files.exists(IMAGES), "the Fashion-MNIST files are missing: install the Debian package dataset-fashion-mnist (./run-tests does)");
        Compilation c = Compilation.of(sample("lenet"));
        CompiledModel m = c.compiled(Backend.BYTECODE, 3);
        BenchBatches.fromData(c, dir, m, 3, 8);
        float[] pixels = new float[3 * 784];
        try (InputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(IMAGES)))) {
            in.skipNBytes(16);
            byte[] raw = in.readNBytes(pixels.length);
            for (int i = 0; i < raw.length; i++) pixels[i] = (raw[i] & 0xff) * (float) (1.0 / 255);
        }
        int[] labels = new int[3];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(LABELS))) {
            in.skipNBytes(8);
            byte[] raw = in.readNBytes(3);
            for (int i = 0; i < 3; i++) labels[i] = raw[i];
        }
        assertArrayEquals(pixels, slice(m, "x", pixels.length));
        assertArrayEquals(labels, Arrays.copyOfRange(m.ints("y"), m.offset("y"), m.offset("y") + 3));
    }

    @Test
    void jsonCountsParametersAndDataBatchesAndOrdersTheColdStartTimes() throws IOException {
        Run.Result r = Run.nnc("bench", csvModel(10), "--data", "--threads", "1", "--seconds", "0.1", "--json");
        assertEquals(0, r.code(), r.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(r.lastLine());
        assertEquals(2 * 3 + 3 + 3 + 1, ((Number) json.get("params")).intValue(), "dense 2→3 and 3→1 with biases");
        assertEquals(2, ((Number) json.get("data_batches")).intValue(), "--data alone asks for 8 batches; the file holds 2");
        double startup = number(json, "startup_ms"), compile = number(json, "compile_ms"), loaded = number(json, "loaded_ms");
        double warm = number(json, "warm_ms"), warmed = number(json, "warmed_ms");
        assertTrue(startup >= 0 && compile > 0 && warm > 0, r.out());
        // the JVM reports its CPU time in clock ticks (10 ms here): a compile of a few ms in a warm JVM may read 0
        assertTrue(number(json, "compile_cpu_ms") >= 0, "the platform reports the compile's CPU time: " + r.out());
        assertEquals(startup + compile, loaded, 1e-6, "loaded_ms counts from the JVM's start");
        assertTrue(warmed >= loaded + warm, "the warm-up ends after the trainer is loaded: " + r.out());

        Run.Result synthetic = Run.nnc("bench", csvModel(10), "--threads", "1", "--seconds", "0.1", "--json");
        assertTrue(synthetic.lastLine().contains("\"data_batches\":0"), synthetic.out());
    }

    @Test
    void modelWithoutDataIsAUserError() throws IOException {
        Path file = Run.playground(dir, "nodata", 3, "  optimizer sgd(lr = 0.1)");
        Run.Result r = Run.nnc("bench", file, "--data", "2", "--seconds", "0.1");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains(file + ": error: --data trains on the train block's data source, but model Playground has none"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void dataSmallerThanABatchIsAUserError() throws IOException {
        Path file = csvModel(3);
        Run.Result r = Run.nnc("bench", file, "--data", "--seconds", "0.1");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("--data needs at least one batch of 4 rows, but model Playground's data source has 3 rows"), r.err());
    }

    @Test
    void zeroBatchesIsAUsageError() throws IOException {
        Run.Result r = Run.nnc("bench", csvModel(10), "--data", "0");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--data must be at least 1, got 0"), r.err());
    }

    static Path sample(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve("samples/playground.nn"))) return p.resolve("samples/" + name + ".nn");
        throw new IllegalStateException("samples/ not found");
    }

    private static float[] slice(CompiledModel m, String name, int n) {
        return Arrays.copyOfRange(m.floats(name), m.offset(name), m.offset(name) + n);
    }

    private static double number(Map<String, Object> json, String key) {
        return ((Number) json.get(key)).doubleValue();
    }
}
