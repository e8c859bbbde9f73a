package nnc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.DistributedTraining.Sync;
import nnc.optim.TrainConfig;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.Tensor;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.train.EpochStats;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.Trainer;
import nnc.spark.barrier.BarrierDataParallel;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on 127.0.0.1: a master and two workers, each in its own JVM started
 * from this test's class path, train Fashion-MNIST's MLP ({@code samples/fashion_mlp.nn}, the first
 * 1,600 training rows, batch 64, one epoch of 25 steps, P = 2), with {@code --sync job} and with {@code --sync barrier}; one
 * executor JVM is killed mid-run, and the final
 * parameters must equal the uninterrupted run's bit for bit. Every JVM is stopped at the end (and by
 * a shutdown hook).
 */
class StandaloneClusterIT {
    static final int ROWS = 1600, BATCH = 64, EPOCHS = 1, PARTITIONS = 2;
    static final List<Process> STARTED = new ArrayList<>();
    static final Thread HOOK = new Thread(StandaloneClusterIT::stopAll);
    static String master;
    @TempDir static Path tmp;

    @BeforeAll static void startCluster() throws Exception {
        Runtime.getRuntime().addShutdownHook(HOOK);
        Path home = Files.createDirectories(tmp.resolve("spark-home/jars"));
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        STARTED.add(start(home.getParent(), "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "" + port,
                "--webui-port", "" + freePort()));
        waitForPort(port);
        for (int w = 0; w < 2; w++) {
            STARTED.add(start(home.getParent(), "worker" + w, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "1g", "--webui-port", "" + freePort(), "--work-dir", tmp.resolve("work" + w).toString(), master));
        }
    }

    @AfterAll static void stopCluster() {
        stopAll();
        Runtime.getRuntime().removeShutdownHook(HOOK);
    }

    static synchronized void stopAll() {
        for (Process p : STARTED) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : STARTED) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Process start(Path sparkHome, String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(Arrays.asList(SparkContexts.JVM_OPTIONS.split(" ")));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    static String javaBin() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void waitForPort(int port) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the master did not open port " + port);
    }

    /** {@code --sync job}: the killed executor's tasks are retried by Spark. */
    @Test void anExecutorKilledMidRunChangesNoBit() throws Exception { cleanAndKilledAgree(Sync.JOB); }

    /** {@code --sync barrier}: the killed executor fails the barrier stage, Spark relaunches it, the driver redoes the step. */
    @Test void anExecutorKilledUnderABarrierStageChangesNoBit() throws Exception { cleanAndKilledAgree(Sync.BARRIER); }

    /** An uninterrupted run and one with an executor JVM killed after the 8th step end with the same bits. */
    static void cleanAndKilledAgree(Sync sync) {
        Path file = Path.of(System.getProperty("user.dir")).resolveSibling("samples").resolve("fashion_mlp.nn");
        Compilation compilation = Compilation.of(file);
        TrainConfig cfg = compilation.train().withBatch(BATCH).withEpochs(EPOCHS);
        compilation = compilation.withTrain(cfg);
        Dataset full = Datasets.load(cfg.data(), file.getParent(), cfg.seed());
        Dataset data = Dataset.classification(Arrays.copyOf(full.x(), ROWS * 784), full.featureShape(), Arrays.copyOf(full.classIndex(), ROWS),
                full.numClasses());
        ReplicaFactory factory = Replicas.of(compilation, Backend.BYTECODE, BATCH, true);
        var conf = SparkContexts.conf(master, "nnc standalone test, " + sync).set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.executor.memory", "512m")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.task.maxFailures", "8").set("spark.cores.max", "2");
        long start = System.nanoTime();
        JavaSparkContext jsc = SparkContexts.start(conf);
        System.out.printf("context started in %.1f s%n", (System.nanoTime() - start) / 1e9);
        try {
            long t0 = System.nanoTime();
            List<Tensor> clean = train(jsc, factory, data, cfg, sync, false);
            long t1 = System.nanoTime();
            List<Tensor> killed = train(jsc, factory, data, cfg, sync, true);
            System.out.printf("%s: clean run %.1f s, run with a killed executor %.1f s%n", sync, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
            assertEquals(clean, killed);
        } finally {
            jsc.stop();
        }
    }

    static void assertEquals(List<Tensor> a, List<Tensor> b) {
        assertTrue(a.size() == b.size() && !a.isEmpty());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).f32(), b.get(i).f32(), a.get(i).name());
    }

    /** One run; with {@code kill}, an executor JVM of the cluster is killed after the 8th step. */
    static List<Tensor> train(JavaSparkContext jsc, ReplicaFactory factory, Dataset data, TrainConfig cfg, Sync sync, boolean kill) {
        DataParallelModel driver = factory.create(BATCH);
        ParamInit.initialize(driver.model(), cfg.seed());
        AtomicBoolean killedOne = new AtomicBoolean();
        TrainListener listener = new TrainListener() {
            @Override public void stepEnd(int epoch, int step, int steps, float loss) {
                if (kill && epoch == 1 && step == 8 && !killedOne.get()) killedOne.set(killExecutor());
            }

            @Override public void epochEnd(EpochStats stats) {}
        };
        try (PlacedEngine m = SparkEngine.open(jsc, driver, factory, PARTITIONS, sync)) {
            Trainer.fit(m, data, null, new TrainOptions(cfg.epochs(), BATCH, cfg.seed(), cfg.shuffle()), listener);
            System.out.println(m.timing());
            if (kill && m instanceof BarrierDataParallel b) assertTrue(b.clock().relaunches() >= 1, "the stage was relaunched: " + b.clock());
        }
        if (kill) assertTrue(killedOne.get(), "an executor JVM was killed");
        return ModelTensors.trained(driver.model());
    }

    /** Kills one executor JVM (a child of a worker this test started). */
    static boolean killExecutor() {
        for (Process worker : STARTED.subList(1, STARTED.size())) {
            // a worker's only child processes are the executor JVMs it launched
            Optional<ProcessHandle> executor = worker.children().filter(ProcessHandle::isAlive).findFirst();
            if (executor.isPresent()) return executor.get().destroyForcibly();
        }
        return false;
    }
}
