package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The synthetic sequence tasks: targets follow from the tokens as documented, and the same seed gives the same bits. */
class SequenceDataTest {
    static final int N = 300, T = 12, V = 20;

    private static Dataset make(String task, long seed) { return SequenceData.generate(task, N, T, V, 3, seed); }

    @Test
    void copyAndReverseTargets() {
        Dataset copy = make("copy", 1), rev = make("reverse", 1);
        assertArrayEquals(copy.x(), copy.labelRows());
        for (int i = 0; i < N; i++)
            for (int t = 0; t < T; t++) assertEquals(rev.x()[i * T + T - 1 - t], rev.labelRows()[i * T + t]);
        assertEquals(T, copy.labelWidth());
        assertArrayEquals(new int[] {T}, copy.featureShape());
    }

    @Test
    void nextIsTheFollowingTokenOfAMarkovChainSharedAcrossSeeds() {
        Dataset d = make("next", 4);
        int[][] counts = new int[V][V];
        for (int i = 0; i < N; i++) {
            for (int t = 0; t + 1 < T; t++) assertEquals(d.x()[i * T + t + 1], d.labelRows()[i * T + t]);
            for (int t = 0; t < T; t++) counts[(int) d.x()[i * T + t]][(int) d.labelRows()[i * T + t]]++;
        }
        // the favourite successor of each token takes about 80% of its transitions, and another seed (a validation set) has the same one
        Dataset other = make("next", 99);
        int agree = 0, total = 0;
        for (int i = 0; i < N; i++)
            for (int t = 0; t < T; t++) {
                int a = (int) other.x()[i * T + t], b = (int) other.labelRows()[i * T + t];
                int fav = 0;
                for (int c = 1; c < V; c++) if (counts[a][c] > counts[a][fav]) fav = c;
                total++;
                if (b == fav) agree++;
            }
        assertTrue(agree > 0.75 * total && agree < 0.9 * total, agree + " of " + total);
    }

    @Test
    void manyToOneTasks() {
        Dataset sum = make("sum_mod", 2), maj = make("majority", 2);
        for (int i = 0; i < N; i++) {
            int s = 0, upper = 0;
            for (int t = 0; t < T; t++) {
                int tok = (int) sum.x()[i * T + t];
                assertTrue(tok >= 0 && tok < V);
                s += tok;
                if (2 * (int) maj.x()[i * T + t] >= V) upper++;
            }
            assertEquals(s % 3, sum.classIndex()[i]);
            assertEquals(2 * upper > T ? 1 : 0, maj.classIndex()[i]);
        }
        assertEquals(3, sum.numClasses());
        assertEquals(2, maj.numClasses());
    }

    @Test
    void seededAndDistinct() {
        assertArrayEquals(make("copy", 7).x(), make("copy", 7).x());
        assertFalse(Arrays.equals(make("copy", 7).x(), make("copy", 8).x()));
    }

    @Test
    void loadedFromASpecWithClearErrors() {
        Dataset d = Datasets.load(new DataSpec("sequence", List.of(), Map.of("n", 10.0, "length", 5.0, "task", "reverse"), "t.nn:9:3"), null, 1);
        assertEquals(10, d.rows());
        assertEquals(5, d.featureSize());
        DataException e = assertThrows(DataException.class,
                () -> Datasets.load(new DataSpec("sequence", List.of(), Map.of("task", "sort"), "t.nn:9:3"), null, 1));
        assertTrue(e.getMessage().contains("unknown task 'sort'") && e.getMessage().contains("t.nn:9:3"), e.getMessage());
    }

    @Test
    void paddedLastHasRealTokensThenPaddingAndTheLastRealTokensHalfAsClass() {
        Dataset d = make("padded_last", 3);
        int[] lengths = new int[T + 1];
        for (int i = 0; i < N; i++) {
            int real = 0;
            while (real < T && d.x()[i * T + real] != 0) real++;
            for (int t = real; t < T; t++) assertEquals(0f, d.x()[i * T + t], "padding only after the real tokens");
            assertTrue(real >= 1, "every row has a real token");
            lengths[real]++;
            float last = d.x()[i * T + real - 1];
            assertTrue(last >= 1 && last < V);
            assertEquals(2 * last >= V ? 1 : 0, d.classIndex()[i]);
        }
        for (int l = 1; l <= T; l++) assertTrue(lengths[l] > 0, "length " + l + " occurs"); // uniform over 1 .. T: about 25 rows each
        assertEquals(2, d.numClasses());
        DataException e = assertThrows(DataException.class, () -> Datasets.load(
                new DataSpec("sequence", List.of(), Map.of("task", "padded_last", "vocab", 2.0), "t.nn:9:3"), null, 1));
        assertTrue(e.getMessage().contains("vocab of at least 3") && e.getMessage().contains("t.nn:9:3"), e.getMessage());
    }
}
