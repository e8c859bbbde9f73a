package nnc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Datasets;
import nnc.runtime.io.FeatureFile;

/**
 * The IDX reader (MNIST format, plain or gzip) on arbitrary bytes: as the images of a training set
 * (with a valid labels file of two labels), as its labels (with two valid 2×2 images), gzip-compressed
 * by the target (so the fuzzer works on the IDX bytes inside), and as the rows {@code nnc predict}
 * reads. Property: a {@link nnc.runtime.data.DataException} naming the file, or a data set.
 * Seeds: small IDX files, plain and gzip ({@code IdxFuzzTestInputs}).
 */
class IdxFuzzTest {
    /** Two labels, 0 and 1: {@code 00 00 08 01}, size 2. */
    static final byte[] TWO_LABELS = {0, 0, 8, 1, 0, 0, 0, 2, 0, 1};
    /** Two 2×2 images: {@code 00 00 08 03}, sizes 2, 2, 2. */
    static final byte[] TWO_IMAGES = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 64, (byte) 128, (byte) 255, 1, 2, 3, 4};

    private static final Path DIR = UserFacing.scratch("idx");
    private static final Path IMAGES = DIR.resolve("images-idx3-ubyte");
    private static final Path LABELS = DIR.resolve("labels-idx1-ubyte");
    private static final Path FEATURES = DIR.resolve("rows.idx");

    static {
        for (Path p : List.of(IMAGES, LABELS, FEATURES)) p.toFile().deleteOnExit();
    }

    @FuzzTest
    void images(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(IMAGES.toString(), () -> {
            Files.write(IMAGES, input);
            Files.write(LABELS, TWO_LABELS);
            load();
        });
    }

    @FuzzTest
    void labels(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(LABELS.toString(), () -> {
            Files.write(IMAGES, TWO_IMAGES);
            Files.write(LABELS, input);
            load();
        });
    }

    @FuzzTest
    void gzipImages(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(IMAGES.toString(), () -> {
            Files.write(IMAGES, gzip(input));
            Files.write(LABELS, gzip(TWO_LABELS));
            load();
        });
    }

    @FuzzTest
    void predictRows(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(FEATURES.toString(), () -> {
            Files.write(FEATURES, input);
            FeatureFile.read(FEATURES, 1f / 255);
        });
    }

    private static void load() {
        DataSpec spec = new DataSpec("idx", List.of(IMAGES.toString(), LABELS.toString()), Map.of("scale", 1.0 / 255), "fuzz.nn:9:8");
        Datasets.load(spec, null, 1);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }
}
