package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {
    private static DataSpec spec(String kind, Map<String, Object> options) {
        return new DataSpec(kind, List.of(), options, "model.nn:12:8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"circles", "xor", "gaussians", "spiral"})
    void defaultsSeedingAndBalance(String kind) {
        Dataset a = Datasets.load(spec(kind, Map.of()), null, 1);
        Dataset b = Datasets.load(spec(kind, Map.of()), null, 1);
        Dataset c = Datasets.load(spec(kind, Map.of()), null, 2);
        assertEquals(1000, a.rows());
        assertArrayEquals(new int[] {2}, a.featureShape());
        assertEquals(2, a.numClasses());
        assertTrue(a.hasClassIndex());
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.classIndex(), b.classIndex());
        assertFalse(Arrays.equals(a.x(), c.x()));
        int ones = Arrays.stream(a.classIndex()).sum();
        assertTrue(ones > 350 && ones < 650, kind + " has " + ones + " of 1000 in class 1");
        int firstHalfOnes = Arrays.stream(a.classIndex(), 0, 500).sum();
        assertTrue(firstHalfOnes > 150 && firstHalfOnes < 350, "rows must come shuffled");
        for (float v : a.x()) assertTrue(Math.abs(v) < 3, kind + " value " + v);
    }

    @Test
    void optionsAreHonoured() {
        Dataset d = Datasets.load(spec("circles", Map.of("n", 37.0, "noise", 0.0)), null, 5);
        assertEquals(37, d.rows());
        for (int r = 0; r < d.rows(); r++) {
            double radius = Math.hypot(d.x()[2 * r], d.x()[2 * r + 1]);
            assertEquals(d.classIndex()[r] == 0 ? 1.0 : 0.5, radius, 1e-6);
        }
        Dataset xor = Datasets.load(spec("xor", Map.of("n", 200.0, "noise", 0.0)), null, 5);
        for (int r = 0; r < xor.rows(); r++) {
            assertEquals(xor.x()[2 * r] * xor.x()[2 * r + 1] > 0 ? 1 : 0, xor.classIndex()[r]);
        }
    }

    @Test
    void badOptionsNameTheOriginAndTheProblem() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load(spec("circles", Map.of("n", 10.5)), null, 1));
        assertEquals("model.nn:12:8: circles: option 'n' must be a positive integer, got 10.5", e.getMessage());
        e = assertThrows(DataException.class, () -> Datasets.load(spec("xor", Map.of("n", 0.0)), null, 1));
        assertTrue(e.getMessage().contains("positive integer, got 0"), e.getMessage());
        e = assertThrows(DataException.class, () -> Datasets.load(spec("spiral", Map.of("noise", -1.0)), null, 1));
        assertTrue(e.getMessage().contains("'noise' must be a finite number >= 0"), e.getMessage());
        e = assertThrows(DataException.class, () -> Datasets.load(spec("gaussians", Map.of("size", 3.0)), null, 1));
        assertEquals("model.nn:12:8: gaussians: unknown option 'size'; known options: classes, dim, n, noise", e.getMessage());
        e = assertThrows(DataException.class, () -> Datasets.load(spec("circles", Map.of("dim", 3.0)), null, 1));
        assertEquals("model.nn:12:8: circles: unknown option 'dim'; known options: n, noise", e.getMessage());
        e = assertThrows(DataException.class, () -> Datasets.load(spec("gaussians", Map.of("dim", 2.0, "classes", 5.0)), null, 1));
        assertEquals("model.nn:12:8: gaussians: option 'classes' must be between 2 and 2 * dim = 4, got 5", e.getMessage());
        e = assertThrows(DataException.class, () -> Datasets.load(spec("circles", Map.of("n", "many")), null, 1));
        assertTrue(e.getMessage().contains("must be a number, got \"many\""), e.getMessage());
        e = assertThrows(DataException.class, () -> Datasets.load(spec("moons", Map.of()), null, 1));
        assertTrue(e.getMessage().startsWith("model.nn:12:8: moons: unknown data source"), e.getMessage());
        e = assertThrows(DataException.class, () -> Datasets.load(new DataSpec("xor", List.of(3.0), Map.of(), null), null, 1));
        assertEquals("xor: takes 0 positional arguments, got 1", e.getMessage());
    }

    /** dim × classes blobs: row i has class i mod classes before the shuffle; class c sits at ±2·e_(c mod dim). */
    @Test
    void gaussiansInManyDimensionsHaveBalancedClassesAroundTheirCentres() {
        int n = 2997, dim = 6, classes = 9;
        Dataset d = Datasets.load(spec("gaussians", Map.of("n", (double) n, "dim", (double) dim, "classes", (double) classes, "noise", 0.0)), null, 4);
        assertEquals(n, d.rows());
        assertArrayEquals(new int[] {dim}, d.featureShape());
        int[] count = new int[classes];
        double[][] mean = new double[classes][dim];
        for (int r = 0; r < n; r++) {
            int c = d.classIndex()[r];
            count[c]++;
            for (int k = 0; k < dim; k++) mean[c][k] += d.x()[r * dim + k];
        }
        for (int c = 0; c < classes; c++) {
            assertEquals(n / classes, count[c], "class " + c);
            for (int k = 0; k < dim; k++) {
                double want = k == c % dim ? (c < dim ? 2 : -2) : 0;
                assertEquals(want, mean[c][k] / count[c], 0.1, "class " + c + " coordinate " + k); // σ 0.5 over 333 rows: se 0.03
            }
        }
        Dataset again = Datasets.load(spec("gaussians", Map.of("n", (double) n, "dim", (double) dim, "classes", (double) classes, "noise", 0.0)), null, 4);
        assertArrayEquals(d.x(), again.x(), "seeded");
        Dataset twoD = SyntheticData.gaussians(100, 0.1, 2, 2, 7);
        assertArrayEquals(SyntheticData.gaussians(100, 0.1, 7).x(), twoD.x(), "dim 2, 2 classes is the original set");
    }
}
