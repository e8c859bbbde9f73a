package nnc.spark;

import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.parallel.DataParallelModel;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's part of a step, run in a Spark task: borrow the JVM's replica, load the step's
 * parameters, copy the share's rows from the partition's cached rows, run the gradient step, return
 * the contribution and the outputs. A pure function of its inputs, so a retried task returns the
 * same bits.
 */
final class StepTask {
    private StepTask() {}

    static StepResult run(PartitionRows data, StepShare share, long runId, int maxBatch, Broadcast<ReplicaFactory> factory,
                          Broadcast<ParamSnapshot> params) {
        long start = System.nanoTime();
        DataParallelModel replica = ReplicaPool.borrow(runId, factory.value(), maxBatch);
        try {
            if (share.count() == 0) {
                return new StepResult(share.partition(), new float[replica.exchangeLength()], new float[0], System.nanoTime() - start);
            }
            if (data.partition() != share.partition())
                throw new IllegalStateException("share of partition " + share.partition() + " on partition " + data.partition() + "'s rows");
            CompiledModel m = replica.model();
            params.value().loadInto(m);
            data.copyInto(m, share.rows(), share.count());
            float[] contribution = new float[replica.exchangeLength()];
            replica.firstRow(share.first()); // dropout draws its masks by the row's place in the global batch
            replica.gradientStep(share.count(), share.weight(), contribution, 0);
            float[] outputs = outputRows(m, share.count());
            return new StepResult(share.partition(), contribution, outputs, System.nanoTime() - start);
        } finally {
            ReplicaPool.giveBack(runId, replica);
        }
    }

    /** The first {@code count} rows of every batch output, in model order. */
    static float[] outputRows(CompiledModel m, int count) {
        List<TensorSpec> outs = batchOutputs(m);
        int total = 0;
        for (TensorSpec t : outs) total += t.rowSize() * count;
        float[] out = new float[total];
        int at = 0;
        for (TensorSpec t : outs) {
            int n = t.rowSize() * count;
            System.arraycopy(m.floats(t.name()), m.offset(t.name()), out, at, n);
            at += n;
        }
        return out;
    }

    /** The model's f32 outputs with a batch dimension (what a metric reads). */
    static List<TensorSpec> batchOutputs(CompiledModel m) {
        return m.info().withRole(Role.OUTPUT).stream()
                .filter(t -> t.hasBatch() && t.dtype() == DType.F32).toList();
    }
}
