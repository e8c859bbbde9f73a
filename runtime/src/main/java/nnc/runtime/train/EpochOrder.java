package nnc.runtime.train;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the training rows: a Fisher–Yates permutation drawn from a
 * {@link SplittableRandom} seeded by (seed, epoch) when shuffling, else the rows in order.
 * {@link Trainer} and the data-parallel engines take their epochs from here, so they cannot drift.
 */
public final class EpochOrder {
    private EpochOrder() {}

    /** The rows {@code 0 .. rows-1} in the order epoch {@code epoch} (from 1) visits them. */
    public static int[] of(int rows, long seed, int epoch, boolean shuffle) {
        int[] order = new int[rows];
        fill(order, seed, epoch, shuffle);
        return order;
    }

    /** Writes epoch {@code epoch}'s order of the rows {@code 0 .. order.length-1} into {@code order}. */
    public static void fill(int[] order, long seed, int epoch, boolean shuffle) {
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) shuffle(order, new SplittableRandom(mix(seed) ^ mix(0x5eed_0000L + epoch)));
    }

    /** Fisher–Yates. */
    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
