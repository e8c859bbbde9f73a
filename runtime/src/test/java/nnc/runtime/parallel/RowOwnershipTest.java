package nnc.runtime.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import nnc.runtime.train.EpochOrder;
import org.junit.jupiter.api.Test;

/** Row ownership: one partition is one machine's order; every row once per epoch; shares only from their owner. */
class RowOwnershipTest {
    static final int[][] SHAPES = {{500, 32}, {97, 10}, {7, 3}, {64, 64}, {5, 8}, {1, 1}, {1000, 1}};

    @Test void onePartitionIsEpochOrder() {
        for (int[] nb : SHAPES)
            for (boolean shuffle : new boolean[] {true, false})
                for (int epoch = 1; epoch <= 3; epoch++)
                    assertArrayEquals(EpochOrder.of(nb[0], 42, epoch, shuffle), new RowOwnership(nb[0], nb[1], 1).order(42, epoch, shuffle),
                            Arrays.toString(nb) + " shuffle " + shuffle + " epoch " + epoch);
    }

    @Test void everyRowOncePerEpochAndEachShareFromItsOwner() {
        for (int[] nb : SHAPES) {
            for (int p = 1; p <= 5; p++) {
                RowOwnership own = new RowOwnership(nb[0], nb[1], p);
                assertEquals(0, own.start(0));
                assertEquals(nb[0], own.start(p - 1) + own.owned(p - 1));
                for (boolean shuffle : new boolean[] {true, false}) {
                    int[] order = own.order(7, 2, shuffle);
                    int[] sorted = order.clone();
                    Arrays.sort(sorted);
                    for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i], "every row once");
                    for (int s = 0; s < own.steps(); s++) {
                        int bs = own.stepRows(s);
                        for (int q = 0; q < p; q++) {
                            int first = s * nb[1] + own.shareFirst(bs, q);
                            for (int r = first; r < first + own.shareCount(bs, q); r++) {
                                assertTrue(order[r] >= own.start(q) && order[r] < own.start(q) + own.owned(q),
                                        "row " + order[r] + " of step " + s + " in partition " + q + "'s range");
                                assertEquals(q, own.owner(order[r]));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test void sharesAreTodaysSplitAndOwnershipIsContiguous() {
        RowOwnership own = new RowOwnership(100, 32, 3); // steps of 32, 32, 32, 4
        assertEquals(4, own.steps());
        assertEquals(4, own.stepRows(3));
        assertEquals(10, own.shareCount(32, 0));
        assertEquals(11, own.shareCount(32, 1));
        assertEquals(11, own.shareCount(32, 2));
        assertEquals(1, own.shareCount(4, 0));
        assertEquals(1, own.shareCount(4, 1));
        assertEquals(2, own.shareCount(4, 2));
        assertEquals(31, own.owned(0));
        assertEquals(34, own.owned(1));
        assertEquals(35, own.owned(2));
        assertEquals(31, own.start(1));
        assertEquals(65, own.start(2));
        assertEquals(1, own.owner(31));
        assertEquals(0, own.owner(30));
        assertThrows(IllegalArgumentException.class, () -> own.owner(100));
    }

    @Test void aPartitionWithNoRowsOwnsNothing() {
        RowOwnership own = new RowOwnership(5, 1, 2); // one row per step: partition 0's share is always empty
        assertEquals(0, own.owned(0));
        assertEquals(5, own.owned(1));
        for (int r = 0; r < 5; r++) assertEquals(1, own.owner(r));
    }

    @Test void deterministicAndShuffledPerEpochAndPartition() {
        RowOwnership own = new RowOwnership(500, 32, 2);
        assertArrayEquals(own.order(3, 1, true), new RowOwnership(500, 32, 2).order(3, 1, true));
        assertFalse(Arrays.equals(own.order(3, 1, true), own.order(3, 2, true)), "each epoch its own order");
        assertFalse(Arrays.equals(own.order(3, 1, true), own.order(4, 1, true)), "each seed its own order");
        assertEquals(3, RowOwnership.seed(3, 0));
        assertFalse(RowOwnership.seed(3, 1) == 3);
        int[] plain = own.order(3, 1, false);
        assertEquals(0, plain[0]);
        assertEquals(own.start(1), plain[own.shareCount(32, 0)], "partition 1's share follows partition 0's");
    }
}
