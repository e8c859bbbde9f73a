package nnc.runtime.parallel;

import java.util.ArrayList;
import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.train.BatchFeeder;
import nnc.runtime.train.EpochOrder;
import nnc.runtime.train.LrSchedule;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;

/**
 * Synchronous data-parallel training in one JVM, the reference for distributed engines: P replicas
 * of one model in the same state, one step at a time over the global batch as {@link Trainer}
 * draws it ({@link EpochOrder}, the same batches and learning rates).
 *
 * <p>A global batch of N rows is cut into P contiguous parts of the epoch's order
 * ({@link #partSizes}: {@code N / P} rows each, the first {@code N mod P} parts one more); replica
 * p runs {@link DataParallelModel#gradientStep} on its part with weight {@code n_p / N} into its own
 * segment of the exchange buffer; the segments are summed in partition order (part 0, then + part
 * 1, …), never in completion order; every replica applies the sum. The replicas therefore stay
 * bitwise identical, and with P = 1 a step is {@code trainStep}'s, so a run equals
 * {@link Trainer#fit} bitwise. The replicas run one after another on the calling thread (each
 * step's kernels still use {@code Parallelism}'s workers).
 */
public final class LocalDataParallel {
    private final List<DataParallelModel> replicas;
    private final float[] segments;
    private final float[] sum;
    private final int length;

    /** @param replicas P ≥ 1 replicas of one compiled model, all in the same state */
    public LocalDataParallel(List<DataParallelModel> replicas) {
        if (replicas.isEmpty()) throw new IllegalArgumentException("at least one replica");
        this.replicas = List.copyOf(replicas);
        this.length = replicas.get(0).exchangeLength();
        for (DataParallelModel r : replicas)
            if (r.exchangeLength() != length) throw new IllegalArgumentException("replicas of different models");
        this.segments = new float[length * replicas.size()];
        this.sum = new float[length];
    }

    /** {@code partitions} fresh replicas of {@code bundle}'s trainer (parameters not initialised). */
    public static LocalDataParallel of(ModelBundle bundle, int partitions) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        List<DataParallelModel> r = new ArrayList<>();
        for (int p = 0; p < partitions; p++) r.add(bundle.instantiate());
        return new LocalDataParallel(r);
    }

    public List<DataParallelModel> replicas() { return replicas; }

    /** Rows of each of {@code partitions} parts of a batch of {@code rows}: {@code rows / partitions}, the first {@code rows mod partitions} one more. */
    public static int[] partSizes(int rows, int partitions) {
        int[] n = new int[partitions];
        for (int p = 0; p < partitions; p++) n[p] = rows / partitions + (p < rows % partitions ? 1 : 0);
        return n;
    }

    /** The summed contribution of the last step (gradients, new data-dependent state, loss last). */
    public float[] lastSum() { return sum; }

    /**
     * One synchronous step on the rows {@code order[from .. from + rows)}, fed to each replica by its
     * {@code feeders} entry; returns the global batch's mean loss. Allocates nothing.
     */
    public float step(List<BatchFeeder> feeders, int[] order, int from, int rows) {
        int parts = replicas.size();
        int start = 0;
        boolean first = true;
        for (int p = 0; p < parts; p++) {
            int n = rows / parts + (p < rows % parts ? 1 : 0); // partSizes, without allocating
            if (n == 0) continue;
            DataParallelModel r = replicas.get(p);
            feeders.get(p).feed(order, from + start, n);
            r.firstRow(start);
            r.gradientStep(n, (float) ((double) n / rows), segments, p * length);
            if (first) System.arraycopy(segments, p * length, sum, 0, length);
            else for (int i = 0; i < length; i++) sum[i] += segments[p * length + i];
            first = false;
            start += n;
        }
        for (int p = 0; p < parts; p++) replicas.get(p).applyStep(sum, 0); // indexed: no iterator per step
        return sum[length - 1];
    }

    /**
     * Trains on {@code train} as {@link Trainer#fit} does with {@code opts} (epochs, batch, seed,
     * shuffle, schedule); no validation, early stopping or checkpoints. Returns each epoch's mean
     * training loss.
     */
    public List<Double> fit(Dataset train, TrainOptions opts) {
        if (opts.earlyStopping() != null || opts.checkpointDir() != null || opts.resumeDir() != null)
            throw new IllegalArgumentException("the in-process data-parallel engine has no early stopping or checkpoints");
        DataParallelModel lead = replicas.get(0);
        if (opts.batch() > lead.model().maxBatch() * replicas.size())
            throw new IllegalArgumentException("batch " + opts.batch() + " is larger than " + replicas.size() + " replicas of maxBatch " + lead.model().maxBatch());
        int rows = train.rows();
        if (rows == 0) throw new IllegalArgumentException("the training set is empty");
        List<BatchFeeder> feeders = new ArrayList<>();
        for (DataParallelModel r : replicas) feeders.add(new BatchFeeder(r.model(), train));
        int batch = opts.batch();
        int stepsPerEpoch = (rows + batch - 1) / batch;
        boolean readsLr = lead.model().info().find(Trainer.LR).filter(t -> t.role() == Role.STATE).isPresent();
        LrSchedule schedule = opts.schedule() != null && !opts.schedule().isConstant() ? opts.schedule().forRun((long) stepsPerEpoch * opts.epochs()) : null;
        if ((schedule != null) != readsLr)
            throw new IllegalArgumentException(readsLr ? "the model reads its learning rate from state lr: pass its schedule"
                    : "a schedule needs a model compiled with a scheduled learning rate (state lr)");
        int[] order = new int[rows];
        List<Double> losses = new ArrayList<>();
        long steps = 0;
        for (int epoch = 1; epoch <= opts.epochs(); epoch++) {
            EpochOrder.fill(order, opts.seed(), epoch, opts.shuffle());
            double lossSum = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                int from = s * batch, b = Math.min(batch, rows - from);
                if (schedule != null) {
                    float lr = schedule.lr(steps);
                    for (DataParallelModel r : replicas) r.model().floats(Trainer.LR)[r.model().offset(Trainer.LR)] = lr;
                }
                lossSum += (double) step(feeders, order, from, b) * b;
                steps++;
            }
            losses.add(lossSum / rows);
        }
        return losses;
    }

    /** True when every replica's parameters and state are bitwise those of replica 0 (the partition's first row aside). */
    public boolean replicasIdentical() {
        CompiledModel first = replicas.get(0).model();
        for (DataParallelModel r : replicas.subList(1, replicas.size()))
            for (TensorSpec t : first.info().tensors()) {
                if (t.role() != Role.PARAM && t.role() != Role.STATE || t.name().equals(SplitEntries.FIRST_ROW)) continue;
                int n = t.elementCount(first.maxBatch());
                float[] a = first.floats(t.name()), b = r.model().floats(t.name());
                int oa = first.offset(t.name()), ob = r.model().offset(t.name());
                for (int k = 0; k < n; k++) if (Float.floatToIntBits(a[oa + k]) != Float.floatToIntBits(b[ob + k])) return false;
            }
        return true;
    }
}
