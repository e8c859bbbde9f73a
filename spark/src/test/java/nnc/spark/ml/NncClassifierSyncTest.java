package nnc.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The estimator's {@code sync} param on local[2]: a barrier stage fits the same bits as a job per step. */
class NncClassifierSyncTest {
    static final String SOURCE = """
            model Blobs {
              input  x: f32[batch, 4]
              target y: i32[batch]
              h = relu(dense(x, 8))
              output logits = dense(h, 3)
              loss   cross_entropy(logits, y)
              metric accuracy(logits, y)
            }
            train {
              optimizer adam(lr = 0.01)
              batch 32
              epochs 2
              seed 1
            }
            """;
    static SparkSession spark;

    @BeforeAll static void start() {
        spark = SparkSession.builder().master("local[2]").appName("nnc-ml-sync-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll static void stop() { spark.stop(); }

    static Dataset<Row> frame() {
        SplittableRandom r = new SplittableRandom(4);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int y = r.nextInt(3);
            double[] x = new double[4];
            for (int f = 0; f < 4; f++) x[f] = r.nextGaussian() + (f % 3 == y ? 1.5 : 0);
            rows.add(RowFactory.create(Vectors.dense(x), y));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false).add("label", DataTypes.IntegerType, false);
        return spark.createDataFrame(rows, schema);
    }

    @Test void barrierFitsTheJobsBits() {
        Dataset<Row> data = frame();
        byte[] job = new NncClassifier().setModelSource(SOURCE).setPartitions(2).fit(data).weights();
        NncClassifier barrier = new NncClassifier().setModelSource(SOURCE).setPartitions(2).setSync("barrier");
        assertEquals("barrier", barrier.getOrDefault(barrier.sync()));
        assertArrayEquals(job, barrier.fit(data).weights());
    }

    @Test void syncDefaultsToJobAndRejectsOtherNames() {
        NncClassifier c = new NncClassifier();
        assertEquals("job", c.getOrDefault(c.sync()));
        var e = assertThrows(IllegalArgumentException.class, () -> c.setSync("async"));
        assertEquals("sync must be job or barrier, got 'async'", e.getMessage());
    }
}
