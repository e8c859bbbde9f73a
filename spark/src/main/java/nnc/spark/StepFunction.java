package nnc.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * What a step ships to its tasks over the cached partitions: every partition's {@link StepShare}
 * (local row indices, about 4 bytes per row of the global batch), the run's id and the handles of
 * the replica factory and the step's parameters. Task {@code p} runs {@link StepTask} on its cached
 * {@link PartitionRows} with share {@code p}.
 */
record StepFunction(StepShare[] shares, long runId, int maxBatch, Broadcast<ReplicaFactory> factory, Broadcast<ParamSnapshot> params)
        implements Function2<Integer, Iterator<PartitionRows>, Iterator<StepResult>> {
    @Override public Iterator<StepResult> call(Integer partition, Iterator<PartitionRows> cached) {
        if (!cached.hasNext()) throw new IllegalStateException("partition " + partition + " holds no rows");
        return List.of(StepTask.run(cached.next(), shares[partition], runId, maxBatch, factory, params)).iterator();
    }
}
