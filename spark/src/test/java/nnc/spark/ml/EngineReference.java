package nnc.spark.ml;

import java.util.List;
import java.util.Map;
import nnc.driver.Compilation;
import nnc.optim.Schedules;
import nnc.optim.TrainConfig;
import nnc.runtime.data.Dataset;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;
import nnc.spark.ReplicaFactory;
import nnc.spark.Replicas;
import nnc.spark.SparkDataParallel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/** What the estimator must match: {@link SparkDataParallel} trained through {@code Trainer.fit} on a data set the test holds. */
final class EngineReference {
    private EngineReference() {}

    /** The weights trained from {@code rows} (vector features, int labels, in order) as the source's train block says. */
    static byte[] weights(JavaSparkContext jsc, String source, List<Row> rows, int features, int classes, int partitions) {
        Compilation c = new NncModelSource(source).compile();
        TrainConfig cfg = c.train();
        ReplicaFactory factory = Replicas.of(NncModelSource.bundle(c, cfg.batch()));
        DataParallelModel driver = factory.create(cfg.batch());
        ParamInit.initialize(driver.model(), cfg.seed());
        float[] x = new float[rows.size() * features];
        int[] y = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            double[] v = ((Vector) rows.get(r).get(0)).toArray();
            for (int f = 0; f < features; f++) x[r * features + f] = (float) v[f];
            y[r] = rows.get(r).getInt(1);
        }
        long steps = (long) (rows.size() + cfg.batch() - 1) / cfg.batch() * cfg.epochs();
        TrainOptions opts = new TrainOptions(cfg.epochs(), cfg.batch(), cfg.seed(), cfg.shuffle()).withSchedule(Schedules.of(cfg, steps));
        try (SparkDataParallel m = new SparkDataParallel(jsc, driver, factory, partitions)) {
            Trainer.fit(m, Dataset.classification(x, new int[] {features}, y, classes), null, opts, TrainListener.NONE);
        }
        return SafeTensors.encode(ModelTensors.trained(driver.model()), Map.of());
    }
}
