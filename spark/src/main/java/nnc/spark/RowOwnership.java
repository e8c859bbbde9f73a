package nnc.spark;

import java.io.Serializable;
import java.util.Arrays;
import nnc.runtime.train.EpochOrder;

/**
 * Which partition owns which training rows, and the order in which an epoch visits them, when each
 * of {@code P} partitions keeps its own rows. Partition {@code p} owns the contiguous rows
 * {@code [floor(p*N/P), floor((p+1)*N/P))}. An epoch visits the rows in one machine's
 * {@link EpochOrder}: step {@code s}'s global batch is the same set of rows one machine trains on,
 * only grouped by owner (partition 0's rows first, each group in the global order), so every share
 * is contiguous in the batch and comes from its owner's rows. A partition's share of a step is
 * however many of the step's rows it owns (a binomial count around {@code b/P} when shuffling).
 *
 * <p>With {@code P = 1} the order is exactly {@link EpochOrder}'s, so one partition trains as one
 * machine does; with more, each step's gradient is the one machine's over the same rows, summed in
 * another association (float rounding apart).
 */
public final class RowOwnership implements Serializable {
    private static final long serialVersionUID = 2L;

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
        start = new int[partitions + 1];
        for (int p = 0; p <= partitions; p++) start[p] = (int) ((long) p * rows / partitions);
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

    /**
     * Writes epoch {@code epoch}'s (from 1) global order of the rows into {@code order} (length N):
     * positions {@code s*b .. s*b + b_s - 1} are step {@code s}'s batch, {@link EpochOrder}'s rows of
     * that step grouped by owner.
     */
    public void fill(int[] order, long seed, int epoch, boolean shuffle) {
        if (order.length != rows) throw new IllegalArgumentException("order has " + order.length + " places for " + rows + " rows");
        EpochOrder.fill(order, seed, epoch, shuffle);
        if (partitions == 1) return;
        int[] step = new int[batch], next = new int[partitions + 1];
        for (int from = 0; from < rows; from += batch) {
            int b = Math.min(batch, rows - from);
            Arrays.fill(next, 0);
            for (int i = 0; i < b; i++) next[owner(order[from + i]) + 1]++;
            for (int p = 0; p < partitions; p++) next[p + 1] += next[p];
            for (int i = 0; i < b; i++) step[next[owner(order[from + i])]++] = order[from + i];
            System.arraycopy(step, 0, order, from, b);
        }
    }

    /** Epoch {@code epoch}'s global order (see {@link #fill}). */
    public int[] order(long seed, int epoch, boolean shuffle) {
        int[] order = new int[rows];
        fill(order, seed, epoch, shuffle);
        return order;
    }

    /**
     * Where each partition's share of a step lies: {@code first[p] .. first[p+1]-1} are the positions
     * (from {@code from}) of partition {@code p}'s rows among {@code order[from .. from+count)}.
     *
     * @throws IllegalArgumentException when the step's rows are not grouped by owner (an order not from {@link #fill})
     */
    public int[] shares(int[] order, int from, int count) { return shares(order, from, count, new int[partitions + 1]); }

    /** {@link #shares(int[], int, int)} written into {@code first} (P + 1 places), which it returns. */
    public int[] shares(int[] order, int from, int count, int[] first) {
        first[0] = 0;
        int p = 0;
        for (int i = 0; i < count; i++) {
            int owner = owner(order[from + i]);
            if (owner < p)
                throw new IllegalArgumentException("row " + order[from + i] + " (partition " + owner + "'s) at position " + i
                        + " of the step follows partition " + p + "'s rows: the step's rows are not grouped by partition");
            while (p < owner) first[++p] = i;
        }
        while (p < partitions) first[++p] = count;
        return first;
    }
}
