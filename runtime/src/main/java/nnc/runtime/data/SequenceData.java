package nnc.runtime.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic token sequences for sequence models: {@code n} rows of {@code length} tokens in
 * {@code 0 .. vocab-1}, stored as the features of a {@link Dataset} (whole numbers, fed to an
 * {@code i32[batch, time]} input). Many-to-many tasks have one target token per step (float label
 * rows of width {@code length}, fed to an {@code i32[batch, time]} target); many-to-one tasks have
 * one class per row. The same (task, n, length, vocab, seed) always gives the same data.
 * <ul>
 *   <li>{@code copy}: target t = token t;</li>
 *   <li>{@code reverse}: target t = token length-1-t;</li>
 *   <li>{@code next}: the tokens follow a fixed random Markov chain (each token has a favourite
 *       successor, the same for every seed, taken with probability 0.8, else a uniform token), target t = token t+1: a
 *       bigram model can learn it, to about 80% accuracy;</li>
 *   <li>{@code sum_mod} (many-to-one): class = (Σ tokens) mod {@code classes};</li>
 *   <li>{@code majority} (many-to-one): class 1 when more tokens are in the upper half of the
 *       vocabulary than in the lower, else 0 (a mean over time of embeddings can learn it);</li>
 *   <li>{@code padded_last} (many-to-one, variable length): each row has a length L drawn uniformly
 *       from 1 … {@code length}, tokens in 1 … vocab-1 at steps 0 … L-1 and the padding token 0 after
 *       them; class 1 when the last real token (step L-1) is in the upper half of the vocabulary
 *       ({@code 2·token ≥ vocab}), else 0. Finding it needs the order and where the padding starts.</li>
 * </ul>
 */
public final class SequenceData {
    private SequenceData() {}

    /** The tasks, many-to-many first. */
    public static final List<String> TASKS = List.of("copy", "reverse", "next", "sum_mod", "majority", "padded_last");

    private static final long CHAIN_SEED = 0x5EC0E11CEL;

    /** True for tasks with one target per step. */
    public static boolean manyToMany(String task) { return task.equals("copy") || task.equals("reverse") || task.equals("next"); }

    public static Dataset generate(String task, int n, int length, int vocab, int classes, long seed) {
        if (!TASKS.contains(task)) throw new IllegalArgumentException("unknown sequence task " + task);
        if (task.equals("padded_last")) return paddedLast(n, length, vocab, seed);
        SplittableRandom r = new SplittableRandom(seed);
        int size = Math.multiplyExact(n, length);
        float[] x = new float[size];
        int[] chain = new int[vocab];
        SplittableRandom chainRandom = new SplittableRandom(CHAIN_SEED + vocab); // one chain per vocabulary, whatever the seed:
        for (int v = 0; v < vocab; v++) chain[v] = chainRandom.nextInt(vocab); // training and validation sets share it
        float[] labels = manyToMany(task) ? new float[size] : null;
        int[] classOf = manyToMany(task) ? null : new int[n];
        int[] row = new int[length + 1];
        for (int i = 0; i < n; i++) {
            row[0] = r.nextInt(vocab);
            for (int t = 1; t <= length; t++)
                row[t] = task.equals("next") && r.nextDouble() < 0.8 ? chain[row[t - 1]] : r.nextInt(vocab);
            for (int t = 0; t < length; t++) x[i * length + t] = row[t];
            switch (task) {
                case "copy" -> { for (int t = 0; t < length; t++) labels[i * length + t] = row[t]; }
                case "reverse" -> { for (int t = 0; t < length; t++) labels[i * length + t] = row[length - 1 - t]; }
                case "next" -> { for (int t = 0; t < length; t++) labels[i * length + t] = row[t + 1]; }
                case "sum_mod" -> {
                    long s = 0;
                    for (int t = 0; t < length; t++) s += row[t];
                    classOf[i] = (int) (s % classes);
                }
                default -> { // majority
                    int upper = 0;
                    for (int t = 0; t < length; t++) if (2 * row[t] >= vocab) upper++;
                    classOf[i] = 2 * upper > length ? 1 : 0;
                }
            }
        }
        int[] shape = {length};
        if (labels != null) return Dataset.regression(x, shape, labels, length);
        return Dataset.classification(x, shape, classOf, task.equals("majority") ? 2 : classes);
    }

    /** The {@code padded_last} task (see the class comment). */
    private static Dataset paddedLast(int n, int length, int vocab, long seed) {
        if (vocab < 3) throw new IllegalArgumentException("task padded_last needs vocab >= 3 (token 0 pads, 1 .. vocab-1 are real), got " + vocab);
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[Math.multiplyExact(n, length)];
        int[] classOf = new int[n];
        for (int i = 0; i < n; i++) {
            int real = 1 + r.nextInt(length), token = 0;
            for (int t = 0; t < real; t++) x[i * length + t] = token = 1 + r.nextInt(vocab - 1);
            classOf[i] = 2 * token >= vocab ? 1 : 0;
        }
        return Dataset.classification(x, new int[] {length}, classOf, 2);
    }
}
