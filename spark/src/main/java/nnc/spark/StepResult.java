package nnc.spark;

import java.io.Serializable;

/**
 * What a partition's task returns: its weighted contribution to the exchange vector, the rows of
 * the batch outputs it computed (for the driver's accuracy), and the nanoseconds its replica spent
 * computing (feeding, loading the parameters and the gradient step).
 */
record StepResult(int partition, float[] contribution, float[] outputs, long computeNanos) implements Serializable {}
