package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import nnc.runtime.train.EpochOrder;
import org.junit.jupiter.api.Test;

/**
 * Row ownership: one partition is one machine's order; with more, every step trains on one
 * machine's rows, grouped by owner, each share from its owner's rows.
 */
class RowOwnershipTest {
    static final int[][] SHAPES = {{500, 32}, {97, 10}, {7, 3}, {64, 64}, {5, 8}, {1, 1}, {1000, 1}};

    @Test void onePartitionIsEpochOrder() {
        for (int[] nb : SHAPES)
            for (boolean shuffle : new boolean[] {true, false})
                for (int epoch = 1; epoch <= 3; epoch++)
                    assertArrayEquals(EpochOrder.of(nb[0], 42, epoch, shuffle), new RowOwnership(nb[0], nb[1], 1).order(42, epoch, shuffle),
                            Arrays.toString(nb) + " shuffle " + shuffle + " epoch " + epoch);
    }

    @Test void everyStepIsOneMachinesRowsGroupedByOwner() {
        for (int[] nb : SHAPES) {
            for (int p = 1; p <= 5; p++) {
                RowOwnership own = new RowOwnership(nb[0], nb[1], p);
                assertEquals(0, own.start(0));
                assertEquals(nb[0], own.start(p - 1) + own.owned(p - 1));
                for (boolean shuffle : new boolean[] {true, false}) {
                    int[] order = own.order(7, 2, shuffle), machine = EpochOrder.of(nb[0], 7, 2, shuffle);
                    for (int s = 0; s < own.steps(); s++) {
                        int from = s * nb[1], bs = own.stepRows(s);
                        int[] a = Arrays.copyOfRange(order, from, from + bs), b = Arrays.copyOfRange(machine, from, from + bs);
                        Arrays.sort(a);
                        Arrays.sort(b);
                        assertArrayEquals(b, a, "step " + s + " trains on one machine's rows");
                        int[] first = own.shares(order, from, bs);
                        assertEquals(0, first[0]);
                        assertEquals(bs, first[p]);
                        for (int q = 0; q < p; q++) {
                            int last = -1;
                            for (int r = from + first[q]; r < from + first[q + 1]; r++) {
                                assertEquals(q, own.owner(order[r]), "row " + order[r] + " of step " + s + " in partition " + q + "'s share");
                                int at = indexOf(machine, from, bs, order[r]);
                                assertTrue(at > last, "a share keeps one machine's order");
                                last = at;
                            }
                        }
                    }
                }
            }
        }
    }

    private static int indexOf(int[] a, int from, int n, int v) {
        for (int i = from; i < from + n; i++) if (a[i] == v) return i;
        throw new AssertionError(v + " not in the step");
    }

    @Test void ownershipIsContiguousAndEven() {
        RowOwnership own = new RowOwnership(100, 32, 3);
        assertEquals(4, own.steps());
        assertEquals(4, own.stepRows(3));
        assertEquals(33, own.owned(0));
        assertEquals(33, own.owned(1));
        assertEquals(34, own.owned(2));
        assertEquals(33, own.start(1));
        assertEquals(66, own.start(2));
        assertEquals(1, own.owner(33));
        assertEquals(0, own.owner(32));
        assertThrows(IllegalArgumentException.class, () -> own.owner(100));
    }

    @Test void aPartitionWithNoRowsOwnsNothing() {
        RowOwnership own = new RowOwnership(2, 1, 3); // three partitions, two rows
        assertEquals(0, own.owned(0));
        assertEquals(1, own.owned(1));
        assertEquals(1, own.owned(2));
        assertEquals(1, own.owner(0));
        assertEquals(2, own.owner(1));
        assertArrayEquals(new int[] {0, 0, 1, 1}, own.shares(new int[] {0}, 0, 1));
    }

    @Test void sharesRefuseAnUngroupedStep() {
        RowOwnership own = new RowOwnership(10, 4, 2);
        assertArrayEquals(new int[] {0, 2, 4}, own.shares(new int[] {1, 3, 7, 5}, 0, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> own.shares(new int[] {7, 1, 3, 5}, 0, 4));
        assertTrue(e.getMessage().contains("not grouped by partition"), e.getMessage());
    }

    @Test void deterministicAndShuffledPerEpoch() {
        RowOwnership own = new RowOwnership(500, 32, 2);
        assertArrayEquals(own.order(3, 1, true), new RowOwnership(500, 32, 2).order(3, 1, true));
        assertFalse(Arrays.equals(own.order(3, 1, true), own.order(3, 2, true)), "each epoch its own order");
        assertFalse(Arrays.equals(own.order(3, 1, true), own.order(4, 1, true)), "each seed its own order");
        int[] plain = own.order(3, 1, false);
        for (int i = 0; i < 32; i++) assertEquals(i, plain[i], "without shuffling the first step is rows 0..31, all partition 0's");
    }
}
