package nnc.spark;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import nnc.runtime.CompiledModel;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark contexts the way nnc needs them: executors start with the Vector API module and Spark's own
 * JDK 17+ module options, and receive the jars that hold nnc-runtime and nnc-spark (the driver's own),
 * so a standalone cluster needs nothing of nnc installed.
 */
public final class SparkContexts {
    /** Spark's JDK 17+ module options (its launcher's), and the Vector API's module. */
    public static final String JVM_OPTIONS = "-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector -Xss8m"
            + " --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
            + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED"
            + " --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
            + " --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED"
            + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED"
            + " --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
            + " -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true --enable-native-access=ALL-UNNAMED";

    private SparkContexts() {}

    /** A configuration for {@code master}: no UI, the executors' JVM options, and nnc's jars when they are jars. */
    public static SparkConf conf(String master, String appName) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraJavaOptions", JVM_OPTIONS);
        Set<String> jars = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {CompiledModel.class, SparkContexts.class}) {
            String jar = jarOf(c);
            if (jar != null) jars.add(jar);
        }
        if (!jars.isEmpty() && !master.startsWith("local")) conf.set("spark.jars", String.join(",", jars));
        return conf;
    }

    /** Starts a context; the caller stops it. */
    public static JavaSparkContext start(SparkConf conf) {
        JavaSparkContext jsc = new JavaSparkContext(conf);
        jsc.setLogLevel("ERROR");
        return jsc;
    }

    private static String jarOf(Class<?> c) {
        try {
            var source = c.getProtectionDomain().getCodeSource();
            if (source == null) return null;
            Path p = Path.of(source.getLocation().toURI());
            return p.toString().endsWith(".jar") ? p.toString() : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
