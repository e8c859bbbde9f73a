package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir Path dir;

    /** An IDX file: magic 00 00 type rank, big-endian sizes, then {@code body}. */
    static byte[] idx(int type, int[] dims, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, (byte) type, (byte) dims.length});
        for (int d : dims) out.writeBytes(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        out.writeBytes(body);
        return out.toByteArray();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(content);
        }
        return p;
    }

    private static Dataset load(String images, String labels, Path base, Map<String, Object> options) {
        return Datasets.load(new DataSpec("idx", List.of(images, labels), options, "mnist.nn:20:3"), base, 0);
    }

    private static byte[] pixels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 37);
        return b;
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabels(boolean gzip) throws IOException {
        // The gzip-ness is detected from the content: the names say nothing (and lie for the plain case).
        write("img.gz", idx(0x08, new int[] {3, 2, 4}, pixels(24)), gzip);
        write("lab.gz", idx(0x08, new int[] {3}, new byte[] {2, 0, (byte) 200}), gzip);
        Dataset d = load("img.gz", "lab.gz", dir, Map.of("scale", 0.5));
        assertEquals(3, d.rows());
        assertArrayEquals(new int[] {8}, d.featureShape());
        assertArrayEquals(new int[] {2, 0, 200}, d.classIndex());
        assertEquals(201, d.numClasses());
        float[] expected = new float[24];
        for (int i = 0; i < 24; i++) expected[i] = ((i * 37) & 0xff) * 0.5f;
        assertArrayEquals(expected, d.x());
    }

    @Test
    void absolutePathsIgnoreTheBase() throws IOException {
        Path img = write("i", idx(0x08, new int[] {1, 1, 1}, new byte[] {9}), false);
        Path lab = write("l", idx(0x08, new int[] {1}, new byte[] {1}), true);
        Dataset d = load(img.toString(), lab.toString(), Path.of("/nonexistent"), Map.of("classes", 10.0));
        assertEquals(10, d.numClasses());
        assertEquals(9f, d.x()[0]);
    }

    private String error(byte[] images, byte[] labels, boolean gzip, Map<String, Object> options) throws IOException {
        write("img", images, gzip);
        write("lab", labels, gzip);
        return assertThrows(DataException.class, () -> load("img", "lab", dir, options)).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
    }

    @Test
    void corruptFilesSayWhatIsWrong() throws IOException {
        byte[] goodImages = idx(0x08, new int[] {2, 2, 2}, pixels(8));
        byte[] goodLabels = idx(0x08, new int[] {2}, new byte[] {0, 1});
        String img = dir.resolve("img").toString(), lab = dir.resolve("lab").toString();

        assertContains(error(Arrays.copyOf(goodImages, 6), goodLabels, false, Map.of()), "mnist.nn:20:3: idx: ", img, "header is truncated");
        assertContains(error(Arrays.copyOf(goodImages, 2), goodLabels, true, Map.of()), img, "header is truncated");
        assertContains(error(Arrays.copyOf(goodImages, goodImages.length - 1), goodLabels, false, Map.of()),
                img, "shorter than its header declares", "needs 8 bytes of data, the file holds 7");
        assertContains(error(goodImages, idx(0x08, new int[] {3}, new byte[] {0, 1, 1}), true, Map.of()),
                "holds 2 images but", "holds 3 labels");
        assertContains(error(goodImages, goodLabels, false, Map.of("classes", 1.0)), lab + ": row 2: label 1 is out of range for 1 class (classes = 1)");
        assertContains(error(idx(0x0D, new int[] {2, 1, 1}, new byte[8]), goodLabels, false, Map.of()),
                img, "type float (0x0d), which is not supported");
        assertContains(error("P5 28 28 255\n".getBytes(), goodLabels, false, Map.of()), img, "is not an IDX file");
        assertContains(error(goodLabels, goodImages, false, Map.of()), img, "images need at least 2", "are the image and label files swapped?");
        assertContains(error(goodImages, goodImages, false, Map.of()), lab, "labels need exactly 1");
    }

    @Test
    void truncatedGzipIsADataException() throws IOException {
        Path full = write("full", idx(0x08, new int[] {50, 10, 10}, pixels(5000)), true);
        byte[] gz = Files.readAllBytes(full);
        write("img", Arrays.copyOf(gz, gz.length / 2), false);
        write("lab", idx(0x08, new int[] {50}, new byte[50]), false);
        String message = assertThrows(DataException.class, () -> load("img", "lab", dir, Map.of())).getMessage();
        assertContains(message, dir.resolve("img").toString(), "truncated");
    }

    @Test
    void missingFiles() {
        String m = assertThrows(DataException.class, () -> load("nope.gz", "lab", dir, Map.of())).getMessage();
        assertContains(m, "mnist.nn:20:3: idx: cannot find " + dir.resolve("nope.gz"));
        m = assertThrows(DataException.class, () -> load("/usr/share/datasets/fashion-mnist/missing-images.gz",
                "/usr/share/datasets/fashion-mnist/missing-labels.gz", dir, Map.of())).getMessage();
        assertContains(m, "dataset-fashion-mnist", "apt-get install dataset-fashion-mnist");
        m = assertThrows(DataException.class, () -> load("a", "b", dir, Map.of("scale", "x"))).getMessage();
        assertContains(m, "option 'scale' must be a number");
    }
}
