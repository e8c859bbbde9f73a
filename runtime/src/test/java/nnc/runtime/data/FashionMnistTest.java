package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real Fashion-MNIST files of the Debian package dataset-fashion-mnist ({@code ./run-tests} installs it). */
class FashionMnistTest {
    private static final Path DIR = Path.of(DataFiles.FASHION_MNIST_DIR);

    private static Dataset load(String images, String labels) {
        assumeTrue(Files.exists(DIR.resolve(images)), "dataset-fashion-mnist is not installed");
        return Datasets.load(new DataSpec("idx", List.of(images, labels), Map.of("scale", 1 / 255.0), "test"), DIR, 0);
    }

    private static void check(Dataset d, int rows) {
        assertEquals(rows, d.rows());
        assertArrayEquals(new int[] {784}, d.featureShape());
        assertEquals(10, d.numClasses());
        int[] perClass = new int[10];
        for (int c : d.classIndex()) perClass[c]++;
        for (int n : perClass) assertEquals(rows / 10, n, "Fashion-MNIST is balanced");
        float max = 0;
        for (float v : d.x()) {
            assertTrue(v >= 0 && v <= 1);
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }

    @Test
    void trainingSet() {
        check(load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), 60000);
    }

    @Test
    void testSet() {
        check(load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"), 10000);
    }
}
