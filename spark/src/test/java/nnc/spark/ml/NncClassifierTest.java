package nnc.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark ML pair on local[2]: fit from Parquet, transform held-out rows, save and load, and malformed DataFrames. */
class NncClassifierTest {
    static final int F = 8, C = 3;
    static final String SOURCE = """
            model Blobs {
              input  x: f32[batch, 8]
              target y: i32[batch]
              h = relu(dense(x, 16))
              output logits = dense(h, 3)
              loss   cross_entropy(logits, y)
              metric accuracy(logits, y)
            }
            train {
              optimizer adam(lr = 0.01)
              batch 32
              epochs 4
              seed 1
            }
            """;
    static SparkSession spark;
    @TempDir Path tmp;

    @BeforeAll static void start() {
        spark = SparkSession.builder().master("local[2]").appName("nnc-ml-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll static void stop() { spark.stop(); }

    static final StructType VECTORS = new StructType().add("features", SQLDataTypes.VectorType(), true).add("label", DataTypes.IntegerType, true);
    static final StructType ARRAYS = new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType), true).add("label", DataTypes.IntegerType, true);

    /** Three Gaussian blobs: class c has mean 2 on the features f with f % 3 == c. */
    static List<Row> blobs(int n, long seed, boolean vectors) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int y = r.nextInt(C);
            double[] x = new double[F];
            for (int f = 0; f < F; f++) x[f] = r.nextGaussian() + (f % C == y ? 2 : 0);
            rows.add(RowFactory.create(vectors ? Vectors.dense(x) : toList(x), y));
        }
        return rows;
    }

    static List<Double> toList(double[] x) {
        List<Double> l = new ArrayList<>();
        for (double v : x) l.add(v);
        return l;
    }

    static double accuracy(Dataset<Row> predicted) {
        List<Row> rows = predicted.select("label", "prediction").collectAsList();
        long right = rows.stream().filter(r -> r.getInt(0) == (int) r.getDouble(1)).count();
        return (double) right / rows.size();
    }

    @Test void fitsFromParquetAndPredictsHeldOutRows() {
        String parquet = tmp.resolve("blobs.parquet").toString();
        spark.createDataFrame(blobs(480, 3, true), VECTORS).write().parquet(parquet);
        Dataset<Row> train = spark.read().parquet(parquet);
        NncClassificationModel model = new NncClassifier().setModelSource(SOURCE).setPartitions(2).fit(train);
        Dataset<Row> heldOut = spark.createDataFrame(blobs(200, 4, true), VECTORS);
        Dataset<Row> predicted = model.transform(heldOut);
        assertEquals(200, predicted.count());
        double acc = accuracy(predicted);
        assertTrue(acc > 0.85, "held-out accuracy " + acc);
        Vector p = (Vector) predicted.select("probability").first().get(0);
        assertEquals(C, p.size());
        assertEquals(1.0, p.toArray()[0] + p.toArray()[1] + p.toArray()[2], 1e-6);
    }

    @Test void arrayFeaturesFitTheSameAsVectorsAndReproduceBitForBit() {
        NncClassifier est = new NncClassifier().setModelSource(SOURCE).setPartitions(2).setEpochs(1);
        byte[] vectors = est.fit(spark.createDataFrame(blobs(300, 5, true), VECTORS)).weights();
        byte[] arrays = est.fit(spark.createDataFrame(blobs(300, 5, false), ARRAYS)).weights();
        assertArrayEquals(vectors, arrays);
    }

    @Test void savesAndLoadsWithTheWeightsAsSafetensors() throws Exception {
        NncClassificationModel model = new NncClassifier().setModelSource(SOURCE).setEpochs(1).setPredictionCol("guess")
                .fit(spark.createDataFrame(blobs(200, 6, true), VECTORS));
        String dir = tmp.resolve("model").toString();
        model.write().save(dir);
        assertTrue(Files.readString(tmp.resolve("model/model.nn")).contains("model Blobs"));
        NncClassificationModel back = NncClassificationModel.load(dir);
        assertEquals("guess", back.getOrDefault(back.predictionCol()));
        assertArrayEquals(model.weights(), back.weights());
        Dataset<Row> rows = spark.createDataFrame(blobs(50, 7, true), VECTORS);
        assertEquals(model.transform(rows).select("guess").collectAsList(), back.transform(rows).select("guess").collectAsList());
    }

    @Test void malformedRowsFailBeforeTrainingNamingColumnAndRow() {
        NncClassifier est = new NncClassifier().setModelSource(SOURCE);
        List<Row> wide = blobs(20, 8, true);
        wide.set(5, RowFactory.create(Vectors.dense(new double[F + 1]), 1));
        assertMessage(est, spark.createDataFrame(wide, VECTORS), "column features, row 5: 9 features, the model takes 8");
        List<Row> nulls = blobs(20, 8, true);
        nulls.set(3, RowFactory.create(null, 1));
        assertMessage(est, spark.createDataFrame(nulls, VECTORS), "column features, row 3: the features are null");
        List<Row> labels = blobs(20, 8, true);
        labels.set(11, RowFactory.create(Vectors.dense(new double[F]), 3));
        assertMessage(est, spark.createDataFrame(labels, VECTORS), "column label, row 11: the label 3 is not a class index in 0..2");
        assertMessage(est.copy(new ParamMap()).setLabelCol("class"), spark.createDataFrame(labels, VECTORS),
                "the DataFrame has no column class (labelCol)");
    }

    @Test void fitTrainsAsTheEngineOnTheSameRowsWhateverTheFramesPartitioning() {
        String scheduled = SOURCE.replace("epochs 4", "epochs 2\n  schedule cosine(warmup = 3)");
        List<Row> rows = blobs(250, 9, true);
        NncClassifier est = new NncClassifier().setModelSource(scheduled).setPartitions(2);
        byte[] one = est.fit(spark.createDataFrame(rows, VECTORS).coalesce(1)).weights();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        byte[] three = est.fit(spark.createDataFrame(jsc.parallelize(rows, 3), VECTORS)).weights();
        assertArrayEquals(one, three, "the rows' places do not depend on the DataFrame's partitions");
        assertArrayEquals(EngineReference.weights(jsc, scheduled, rows, F, C, 2), one, "as the engine trains on the same rows through Trainer.fit");
    }

    static void assertMessage(NncClassifier est, Dataset<Row> frame, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> est.fit(frame));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
