package nnc.spark.barrier;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.parallel.DataParallelModel;
import nnc.spark.PartitionRows;
import nnc.spark.ReplicaFactory;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * A barrier task's whole life: take its partition's cached rows, make one replica, connect to the
 * driver's {@link Coordinator} with the run's token, its partition and its stage attempt, then serve
 * steps until the driver says finish. A step loads the driver's parameters, copies the rows it names
 * from the partition, runs the gradient step at the share's place in the global batch and sends back
 * the contribution and the output rows: a pure function of what the driver sent and the partition's
 * rows, so a relaunched attempt computes the same bits. A lost driver connection fails the task (and
 * so the stage).
 */
final class Worker extends AbstractFunction1<Iterator<PartitionRows>, Iterator<Integer>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final byte[] token;
    private final int maxBatch;
    private final Broadcast<ReplicaFactory> factory;

    Worker(String host, int port, byte[] token, int maxBatch, Broadcast<ReplicaFactory> factory) {
        this.host = host;
        this.port = port;
        this.token = token.clone();
        this.maxBatch = maxBatch;
        this.factory = factory;
    }

    @Override public Iterator<Integer> apply(Iterator<PartitionRows> cached) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int partition = ctx.partitionId();
        if (!cached.hasNext()) throw new IllegalStateException("partition " + partition + " holds no rows");
        PartitionRows rows = cached.next();
        try {
            serve(partition, ctx.stageAttemptNumber(), rows);
        } catch (IOException e) {
            throw new UncheckedIOException("partition " + partition + " lost its connection to the driver " + host + ":" + port, e);
        }
        return CollectionConverters.asScala(List.of(partition).iterator());
    }

    private void serve(int partition, int attempt, PartitionRows rows) throws IOException {
        DataParallelModel replica = factory.value().create(maxBatch);
        CompiledModel m = replica.model();
        StepMessages messages = new StepMessages(m);
        float[] contribution = new float[replica.exchangeLength()];
        int[] local = new int[maxBatch];
        try (Wire w = new Wire(new Socket(host, port))) {
            w.out().write(token);
            w.out().writeInt(partition);
            w.out().writeInt(attempt);
            w.flush();
            while (true) {
                int command = w.in().readInt();
                if (command == Wire.FINISH) return;
                if (command != Wire.STEP) throw new IOException("unknown command " + command + " from the driver");
                int first = w.in().readInt(), count = w.in().readInt();
                float weight = w.in().readFloat();
                messages.receiveStep(w, m, count, local);
                long start = System.nanoTime(); // compute only: receiving the step is the exchange's
                rows.copyInto(m, local, count);
                Arrays.fill(contribution, 0f);
                replica.firstRow(first); // dropout draws its masks by the row's place in the global batch
                replica.gradientStep(count, weight, contribution, 0);
                messages.sendResult(w, m, contribution, count, System.nanoTime() - start);
            }
        }
    }
}
