package nnc.bench;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.kernels.Parallelism;
import nnc.runtime.kernels.VectorWarmup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step (forward, backward, optimiser update) of a sample model, per back end and loop
 * mode (scalar or SIMD), on a synthetic batch of the model's input shapes, runtime kernels on
 * {@code threads} threads (default 1). Run from the repository root (samples/ is read from there):
 * see the README. The forked JVM opts in to the JIT inlining hint, as {@code nnc} does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 6) // vector code runs ~100x slower until C2 compiles it: warm up long
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dnnc.inlining=directive"})
public class TrainStepBenchmark {
    @Param({"playground", "housing", "worked", "fashion_mlp"})
    public String sample;

    /** {@code interp}, or a generated back end and its loop mode: {@code java-scalar}, {@code bytecode-simd}, … */
    @Param({"interp", "java-scalar", "java-simd", "bytecode-simd"})
    public String backend;

    /** {@code --check-numerics}: {@code on} (the default: the trainer's checks, the plain generated class) or {@code full} (every kernel's output checked). */
    @Param({"on"})
    public String numerics;

    /** Threads the runtime's kernels (GEMM, convolution) may use. */
    @Param({"1"})
    public int threads;

    private CompiledModel model;
    private int batch;

    @Setup(Level.Trial)
    public void setUp() {
        Path file = Path.of(System.getProperty("nnc.samples", "samples"), sample + ".nn");
        Compilation compilation = Compilation.of(file);
        batch = compilation.train().batch();
        String[] parts = backend.split("-");
        boolean simd = parts.length < 2 || parts[1].equals("simd");
        model = compilation.compiled(Backend.parse(parts[0]), batch, simd, Numerics.Mode.parse(numerics));
        Parallelism.setThreads(threads);
        ParamInit.initialize(model, 1);
        fillSynthetic(model, batch, new SplittableRandom(7));
        // past the generated kernels' scalar twins (their first VectorWarmup.scalarCalls calls), so that
        // JMH's warm-up compiles, and its measurement times, the vector code however slow the model
        // (tiny_transformer's 2,000 steps take longer than 12 s: measured inside them, a step allocated
        // 64–324 KB, the vector probes of kernels not yet compiled; after them, 19–37 B)
        if (simd && !parts[0].equals("interp"))
            for (int i = 0; i <= VectorWarmup.scalarCalls; i++) model.trainStep(batch);
    }

    /** Random inputs; class targets in range; float targets in [0, 1]. */
    static void fillSynthetic(CompiledModel m, int batch, SplittableRandom rnd) {
        for (TensorSpec t : m.info().tensors()) {
            if (t.role() != Role.INPUT && t.role() != Role.TARGET) continue;
            int n = t.elementCount(batch);
            if (t.dtype() == DType.I32) {
                int[] a = m.ints(t.name());
                for (int i = 0; i < n; i++) a[i] = rnd.nextInt(classesOf(m));
            } else {
                float[] a = m.floats(t.name());
                for (int i = 0; i < n; i++) a[i] = t.role() == Role.TARGET ? rnd.nextInt(2) : (float) rnd.nextGaussian();
            }
        }
    }

    /** The width of the first output, the number of classes of an i32 target. */
    private static int classesOf(CompiledModel m) {
        for (TensorSpec t : m.info().withRole(Role.OUTPUT)) if (t.rank() == 2 && !t.name().equals(m.info().lossName())) return t.dim(1);
        return 2;
    }

    @Benchmark
    public float trainStep() {
        model.trainStep(batch);
        return model.loss();
    }
}
