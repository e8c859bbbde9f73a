package nnc.spark;

import java.io.Serializable;

/**
 * One partition's share of a global batch, as a step ships it: the partition's local indices of its
 * {@code count} rows (into its cached {@link PartitionRows}), the position {@code first} of its first
 * row in the global batch, and its weight {@code count / batch} in the sum. No row values.
 */
record StepShare(int partition, int first, int count, float weight, int[] rows) implements Serializable {}
