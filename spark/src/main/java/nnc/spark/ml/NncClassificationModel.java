package nnc.spark.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import nnc.driver.Compilation;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained nnc classifier as a Spark ML model: {@code transform} runs the generated predict entry
 * in {@code mapPartitions} (one replica per executor thread, made once per JVM) and adds the
 * predicted class index and the class probabilities. Saved as Spark ML metadata plus the
 * {@code .nn} source and the weights as safetensors ({@code model.nn}, {@code weights.safetensors}).
 */
public final class NncClassificationModel extends Model<NncClassificationModel> implements MLWritable {
    static final String SOURCE = "model.nn", WEIGHTS = "weights.safetensors";
    /** Rows per predict call on an executor. */
    static final int PREDICT_BATCH = 256;

    private final String uid;
    private final String source;
    private final byte[] weights;
    private final Param<String> featuresCol, labelCol, predictionCol, probabilityCol;
    private transient Predictor predictor;

    NncClassificationModel(String uid, String source, byte[] weights) {
        this.uid = uid;
        this.source = source;
        this.weights = weights.clone();
        featuresCol = new Param<>(this, "featuresCol", "features column: an ML Vector or an array of numbers");
        labelCol = new Param<>(this, "labelCol", "label column of the training data (not read by transform)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column name");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
    }

    @Override public String uid() { return uid; }

    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }

    public NncClassificationModel setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public NncClassificationModel setPredictionCol(String v) { set(predictionCol, v); return this; }
    public NncClassificationModel setProbabilityCol(String v) { set(probabilityCol, v); return this; }

    /** The model's {@code .nn} source. */
    public String modelSource() { return source; }

    /** The trained parameters and inference state, as a safetensors file's bytes. */
    public byte[] weights() { return weights.clone(); }

    @Override public Dataset<Row> transform(Dataset<?> frame) {
        StructType out = transformSchema(frame.schema());
        int col = frame.schema().fieldIndex($(featuresCol));
        String column = $(featuresCol);
        SparkSession spark = frame.sparkSession();
        Broadcast<Predictor> bc = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(predictor());
        JavaRDD<Row> rows = frame.toDF().javaRDD().mapPartitions(it -> bc.value().predict(it, col, column));
        return spark.createDataFrame(rows, out);
    }

    /** The predictor, compiled on the driver the first time. */
    private synchronized Predictor predictor() {
        if (predictor == null) {
            Compilation c = new NncModelSource(source).compile();
            predictor = Predictor.of(uid, NncModelSource.bundle(c, PREDICT_BATCH), weights);
        }
        return predictor;
    }

    @Override public StructType transformSchema(StructType schema) {
        if (!List.of(schema.fieldNames()).contains($(featuresCol)))
            throw new IllegalArgumentException("the DataFrame has no column " + $(featuresCol) + " (featuresCol)");
        return outputSchema(schema, $(predictionCol), $(probabilityCol));
    }

    /** {@code schema} with the prediction (double) and probability (ML Vector) columns added. */
    static StructType outputSchema(StructType schema, String prediction, String probability) {
        return schema.add(prediction, DataTypes.DoubleType, false).add(probability, SQLDataTypes.VectorType(), false);
    }

    @Override public NncClassificationModel copy(ParamMap extra) {
        NncClassificationModel m = new NncClassificationModel(uid, source, weights);
        copyValues(m, extra);
        return m.setParent(parent());
    }

    @Override public MLWriter write() {
        return new MLWriter() {
            @Override public void saveImpl(String path) {
                DefaultParamsWriter$.MODULE$.saveMetadata(NncClassificationModel.this, path, sparkSession());
                var conf = sparkSession().sparkContext().hadoopConfiguration();
                writeFile(new Path(path, SOURCE), source.getBytes(StandardCharsets.UTF_8), conf);
                writeFile(new Path(path, WEIGHTS), weights, conf);
            }
        };
    }

    /** Reads models written by {@link #write()}. */
    public static MLReader<NncClassificationModel> read() {
        return new MLReader<>() {
            @Override public NncClassificationModel load(String path) {
                var metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), NncClassificationModel.class.getName());
                var conf = sparkSession().sparkContext().hadoopConfiguration();
                String text = new String(readFile(new Path(path, SOURCE), conf), StandardCharsets.UTF_8);
                NncClassificationModel m = new NncClassificationModel(metadata.uid(), text, readFile(new Path(path, WEIGHTS), conf));
                metadata.getAndSetParams(m, Option.empty());
                return m;
            }
        };
    }

    public static NncClassificationModel load(String path) { return read().load(path); }

    private static void writeFile(Path p, byte[] bytes, Configuration conf) {
        try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readFile(Path p, Configuration conf) {
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
