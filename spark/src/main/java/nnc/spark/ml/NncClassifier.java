package nnc.spark.ml;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import nnc.driver.Compilation;
import nnc.driver.DistributedTraining.Sync;
import nnc.optim.OptimizerCatalog;
import nnc.optim.Schedules;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.train.TrainOptions;
import nnc.spark.CachedPartitions;
import nnc.spark.PartitionRows;
import nnc.spark.PlacedEngine;
import nnc.spark.PlacedTraining;
import nnc.spark.ReplicaFactory;
import nnc.spark.Replicas;
import nnc.spark.RowOwnership;
import nnc.spark.SparkEngine;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML estimator that trains an nnc classifier (a {@code .nn} source with one input, an i32
 * class target and a per-row score output) on a DataFrame, data-parallel on the DataFrame's
 * cluster: features as an ML {@code Vector} or an array of numbers, labels as class indices. The
 * source's train block gives the optimiser, batch, epochs, seed, shuffling and schedule;
 * {@code epochs}, {@code batch} and {@code seed} override them when set. The rows never reach the
 * driver: they are checked and converted on the executors, placed with the partitions that own
 * them and cached there ({@link CachedPartitions}); every row is checked before the first training
 * step.
 */
public final class NncClassifier extends Estimator<NncClassificationModel> {
    private final String uid;
    private final Param<String> featuresCol, labelCol, predictionCol, probabilityCol, modelSource, sync;
    private final IntParam partitions, epochs, batch;
    private final LongParam seed;

    public NncClassifier() { this(Identifiable$.MODULE$.randomUID("nncClassifier")); }

    public NncClassifier(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column: an ML Vector or an array of numbers");
        labelCol = new Param<>(this, "labelCol", "label column: class indices 0 .. classes-1");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name");
        modelSource = new Param<>(this, "modelSource", "the model's .nn source text");
        partitions = new IntParam(this, "partitions", "shares of each global batch, one Spark task each");
        epochs = new IntParam(this, "epochs", "epochs (0: the train block's)");
        batch = new IntParam(this, "batch", "rows per global batch (0: the train block's)");
        seed = new LongParam(this, "seed", "seed of initialisation and shuffling (-1: the train block's)");
        sync = new Param<>(this, "sync", "how a step's partitions meet: job (one Spark job per step) or barrier (one barrier stage for the run)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(partitions, 2);
        setDefault(epochs, 0);
        setDefault(batch, 0);
        setDefault(seed, -1L);
        setDefault(sync, "job");
    }

    @Override public String uid() { return uid; }

    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> modelSource() { return modelSource; }
    public IntParam partitions() { return partitions; }
    public IntParam epochs() { return epochs; }
    public IntParam batch() { return batch; }
    public LongParam seed() { return seed; }
    public Param<String> sync() { return sync; }

    public NncClassifier setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public NncClassifier setLabelCol(String v) { set(labelCol, v); return this; }
    public NncClassifier setPredictionCol(String v) { set(predictionCol, v); return this; }
    public NncClassifier setProbabilityCol(String v) { set(probabilityCol, v); return this; }
    /** The model's {@code .nn} source text (required). */
    public NncClassifier setModelSource(String v) { set(modelSource, v); return this; }
    public NncClassifier setPartitions(int v) { set(partitions, v); return this; }
    public NncClassifier setEpochs(int v) { set(epochs, v); return this; }
    public NncClassifier setBatch(int v) { set(batch, v); return this; }
    public NncClassifier setSeed(long v) { set(seed, v); return this; }
    /** {@code job} (the default) or {@code barrier}: the same bits, a different transport (docs/distributed.md). */
    public NncClassifier setSync(String v) {
        syncOf(v);
        set(sync, v);
        return this;
    }

    private static Sync syncOf(String v) {
        return Sync.named(v).orElseThrow(() -> new IllegalArgumentException("sync must be job or barrier, got '" + v + "'"));
    }

    @Override public NncClassificationModel fit(Dataset<?> frame) {
        if (!isDefined(modelSource)) throw new IllegalArgumentException("NncClassifier needs setModelSource(the .nn text)");
        if (intOf(partitions) < 1) throw new IllegalArgumentException("partitions must be at least 1, got " + intOf(partitions));
        NncModelSource source = new NncModelSource($(modelSource));
        Compilation compilation = source.compile();
        TrainConfig cfg = compilation.train();
        if (intOf(epochs) > 0) cfg = cfg.withEpochs(intOf(epochs));
        if (intOf(batch) > 0) cfg = cfg.withBatch(intOf(batch));
        if (longOf(seed) >= 0) cfg = cfg.withSeed(longOf(seed));
        compilation = compilation.withTrain(cfg);
        transformSchema(frame.schema());
        JavaRDD<Row> rows = frame.select($(featuresCol), $(labelCol)).toJavaRDD();
        long[] counts = FrameRows.counts(rows);
        long total = Arrays.stream(counts).sum();
        if (total == 0) throw new IllegalArgumentException("the DataFrame has no rows");
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("the DataFrame has " + total + " rows; at most " + Integer.MAX_VALUE + " train");
        int n = (int) total;
        boolean fullBatch = OptimizerCatalog.named(cfg.optimizer()).fullBatch();
        int maxBatch = fullBatch ? n : Math.min(cfg.batch(), n);
        ReplicaFactory factory = Replicas.of(NncModelSource.bundle(compilation, maxBatch));
        DataParallelModel driver = factory.create(maxBatch);
        CompiledModel local = driver.model();
        FrameRows.Layout layout = FrameRows.Layout.of(local.info(), $(featuresCol), $(labelCol));
        RowOwnership own = new RowOwnership(n, maxBatch, intOf(partitions));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        try (CachedPartitions placed = cache(FrameRows.place(rows, counts, own, layout), own);
             PlacedEngine model = SparkEngine.open(jsc, driver, factory, intOf(partitions), syncOf($(sync)))) {
            ParamInit.initialize(local, cfg.seed());
            long steps = (long) own.steps() * cfg.epochs();
            TrainOptions options = new TrainOptions(cfg.epochs(), maxBatch, cfg.seed(), cfg.shuffle()).withSchedule(Schedules.of(cfg, steps));
            model.place(placed);
            PlacedTraining.run(model, options);
        }
        byte[] weights = SafeTensors.encode(ModelTensors.trained(local), Map.of());
        NncClassificationModel m = new NncClassificationModel(uid, source.text(), weights);
        copyValues(m, extractParamMap());
        return m.setParent(this);
    }

    @Override public StructType transformSchema(StructType schema) {
        for (Param<String> col : List.of(featuresCol, labelCol)) {
            if (!List.of(schema.fieldNames()).contains($(col)))
                throw new IllegalArgumentException("the DataFrame has no column " + $(col) + " (" + col.name() + "); it has " + String.join(", ", schema.fieldNames()));
        }
        return NncClassificationModel.outputSchema(schema, $(predictionCol), $(probabilityCol));
    }

    /** Places the rows on the executors, every row checked there: a malformed row fails here, before any training step. */
    private static CachedPartitions cache(JavaRDD<PartitionRows> rows, RowOwnership own) {
        try {
            return CachedPartitions.of(rows, own);
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            for (Throwable c = e; c != null; c = c.getCause())
                if (c instanceof IllegalArgumentException bad) throw new IllegalArgumentException(bad.getMessage(), e);
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private int intOf(IntParam p) { return (Integer) $(p); }

    private long longOf(LongParam p) { return (Long) $(p); }

    @Override public NncClassifier copy(ParamMap extra) { return (NncClassifier) defaultCopy(extra); }

}
