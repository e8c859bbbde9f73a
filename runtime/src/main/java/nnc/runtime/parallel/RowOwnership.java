package nnc.runtime.parallel;

import java.io.Serializable;
import java.util.Arrays;
import nnc.runtime.train.EpochOrder;

/**
 * Which partition owns which training rows, and the order in which an epoch visits them, when each
 * of {@code P} partitions keeps its own rows. With {@code N} rows and global batch {@code b}, step
 * {@code s} of an epoch has {@code b_s = min(b, N - s*b)} rows; partition {@code p}'s share of it is
 * {@code c_p(s) = floor((p+1)*b_s/P) - floor(p*b_s/P)} rows, at positions
 * {@code floor(p*b_s/P) ..} of the global batch. Partition {@code p} owns the {@code n_p = sum_s c_p(s)}
 * contiguous rows {@code [start(p), start(p) + n_p)}: every share comes from its owner's rows.
 *
 * <p>Each epoch partition {@code p} visits its rows in the {@link EpochOrder} of {@code n_p} rows
 * seeded by {@link #seed(long, int)} ({@code seed} itself for {@code p = 0}); step {@code s}'s global
 * batch is partition 0's next {@code c_0(s)} rows, then partition 1's next {@code c_1(s)}, and so on.
 * With {@code P = 1} this is exactly {@link EpochOrder}'s order, so one partition trains as one
 * machine does.
 */
public final class RowOwnership implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int rows, batch, partitions;
    private final int[] start;

    /**
     * @param rows       N, the training rows (at least 1)
     * @param batch      b, rows per global batch (at least 1)
     * @param partitions P (at least 1)
     */
    public RowOwnership(int rows, int batch, int partitions) {
        if (rows < 1 || batch < 1 || partitions < 1)
            throw new IllegalArgumentException("rows, batch and partitions must be at least 1, got " + rows + ", " + batch + ", " + partitions);
        this.rows = rows;
        this.batch = batch;
        this.partitions = partitions;
        int steps = steps();
        int last = rows - (steps - 1) * batch;
        start = new int[partitions + 1];
        for (int p = 0; p < partitions; p++)
            start[p + 1] = start[p] + (steps - 1) * shareCount(batch, p) + shareCount(last, p);
    }

    public int rows() { return rows; }

    public int batch() { return batch; }

    public int partitions() { return partitions; }

    /** Steps per epoch. */
    public int steps() { return (rows + batch - 1) / batch; }

    /** Rows in step {@code s}'s global batch. */
    public int stepRows(int s) { return Math.min(batch, rows - s * batch); }

    /** The first row partition {@code p} owns. */
    public int start(int p) { return start[p]; }

    /** How many rows partition {@code p} owns. */
    public int owned(int p) { return start[p + 1] - start[p]; }

    /** The partition that owns global row {@code row}. */
    public int owner(long row) {
        if (row < 0 || row >= rows) throw new IllegalArgumentException("row " + row + " outside 0.." + (rows - 1));
        int i = Arrays.binarySearch(start, (int) row);
        if (i >= 0) {
            while (i + 1 < start.length && start[i + 1] == row) i++; // skip partitions that own nothing
            return i;
        }
        return -i - 2;
    }

    /** Partition {@code p}'s rows in a global batch of {@code stepRows} rows. */
    public int shareCount(int stepRows, int p) { return shareFirst(stepRows, p + 1) - shareFirst(stepRows, p); }

    /** The position in a global batch of {@code stepRows} rows of partition {@code p}'s first row. */
    public int shareFirst(int stepRows, int p) { return (int) ((long) p * stepRows / partitions); }

    /** The seed of partition {@code p}'s epoch orders: {@code seed} for partition 0, a distinct one for each other. */
    public static long seed(long seed, int p) { return p == 0 ? seed : seed + p * 0x9E3779B97F4A7C15L; }

    /**
     * Writes epoch {@code epoch}'s (from 1) global order of the rows into {@code order} (length N):
     * positions {@code s*b .. s*b + b_s - 1} are step {@code s}'s batch, grouped by partition.
     */
    public void fill(int[] order, long seed, int epoch, boolean shuffle) {
        if (order.length != rows) throw new IllegalArgumentException("order has " + order.length + " places for " + rows + " rows");
        if (partitions == 1) {
            EpochOrder.fill(order, seed, epoch, shuffle);
            return;
        }
        int[][] local = new int[partitions][];
        int[] next = new int[partitions];
        for (int p = 0; p < partitions; p++) local[p] = EpochOrder.of(owned(p), seed(seed, p), epoch, shuffle);
        int at = 0;
        for (int s = 0; s < steps(); s++) {
            int bs = stepRows(s);
            for (int p = 0; p < partitions; p++) {
                for (int c = shareCount(bs, p); c > 0; c--) order[at++] = start[p] + local[p][next[p]++];
            }
        }
    }

    /** Epoch {@code epoch}'s global order (see {@link #fill}). */
    public int[] order(long seed, int epoch, boolean shuffle) {
        int[] order = new int[rows];
        fill(order, seed, epoch, shuffle);
        return order;
    }
}
