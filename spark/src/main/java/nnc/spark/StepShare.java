package nnc.spark;

import java.io.Serializable;

/**
 * One partition's share of a global batch: rows {@code first .. first+count-1} of the batch the
 * driver was fed, as the values of each input and target tensor (float or int arrays, model order),
 * and its weight {@code count / batch} in the sum.
 */
record StepShare(int partition, int first, int count, float weight, String[] names, Object[] rows) implements Serializable {}
