package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code csv(..., normalize = true)}: standardised with the training data's statistics, everywhere. */
class NormalizationTest {
    @TempDir Path dir;

    private DataSpec csv(String file, Object normalize) {
        return new DataSpec("csv", List.of(file), Map.of("label", "y", "normalize", normalize), "m.nn:9:13");
    }

    @Test
    void trainingColumnsAreStandardisedWithTheirOwnStatistics() throws Exception {
        // a: 1 2 3 4 (mean 2.5, population std √1.25); b: constant 7 (std 1: only centred)
        Files.writeString(dir.resolve("t.csv"), "a,b,y\n1,7,0\n2,7,1\n3,7,0\n4,7,1\n");
        Normalization n = Datasets.statistics(csv("t.csv", true), dir, 0);
        assertArrayEquals(new float[] {2.5f, 7f}, n.mean());
        assertArrayEquals(new float[] {(float) Math.sqrt(1.25), 1f}, n.std());
        Dataset d = Datasets.load(csv("t.csv", true), dir, 0, n);
        float s = (float) Math.sqrt(1.25);
        assertArrayEquals(new float[] {(1 - 2.5f) / s, 0, (2 - 2.5f) / s, 0, (3 - 2.5f) / s, 0, (4 - 2.5f) / s, 0}, d.x());
        assertArrayEquals(d.x(), Datasets.load(csv("t.csv", "true"), dir, 0).x(), "its own statistics when none are given");
    }

    @Test
    void validationAndNewDataUseTheTrainingStatistics() throws Exception {
        Files.writeString(dir.resolve("t.csv"), "a,b,y\n1,7,0\n2,7,1\n3,7,0\n4,7,1\n");
        Files.writeString(dir.resolve("v.csv"), "a,b,y\n10,8,0\n");
        Normalization n = Datasets.statistics(csv("t.csv", true), dir, 0);
        Dataset v = Datasets.load(csv("v.csv", true), dir, 1, n);
        assertArrayEquals(new float[] {(10 - 2.5f) / (float) Math.sqrt(1.25), 1f}, v.x());
        float[] fresh = {10, 8};
        n.apply(fresh, 1);
        assertArrayEquals(v.x(), fresh, "predict applies the same");
    }

    @Test
    void withoutNormalizeNothingChangesAndBadValuesAreNamed() throws Exception {
        Files.writeString(dir.resolve("t.csv"), "a,b,y\n1,7,0\n2,7,1\n");
        assertNull(Datasets.statistics(csv("t.csv", false), dir, 0));
        assertArrayEquals(new float[] {1, 7, 2, 7}, Datasets.load(csv("t.csv", false), dir, 0).x());
        DataException e = assertThrows(DataException.class, () -> Datasets.load(csv("t.csv", 3.0), dir, 0));
        assertTrue(e.getMessage().startsWith("m.nn:9:13: csv: option 'normalize' must be true or false"), e.getMessage());
        Files.writeString(dir.resolve("w.csv"), "a,y\n1,0\n");
        Normalization two = Datasets.statistics(csv("t.csv", true), dir, 0);
        e = assertThrows(DataException.class, () -> Datasets.load(csv("w.csv", true), dir, 0, two));
        assertTrue(e.getMessage().contains("has 1 features but the training data"), e.getMessage());
        assertEquals(2, two.features());
    }
}
