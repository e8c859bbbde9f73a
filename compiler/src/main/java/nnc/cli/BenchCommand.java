package nnc.cli;

import java.io.PrintWriter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.optim.TrainConfig;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.kernels.VectorWarmup;
import nnc.runtime.train.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc bench FILE}: times training steps on a synthetic batch of the model's input shapes
 * (Gaussian inputs, float targets in {0, 1}, class-index targets in range), or with {@code --data} on
 * the train block's first batches ({@link BenchBatches}), after a warm-up that
 * lasts until the step rate stops rising (at most 30 s), and
 * prints steps/s and samples/s. A rough figure for one machine; JMH in {@code benchmarks/} is the
 * careful measurement.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time training steps after warm-up, on a synthetic batch or (--data) on the train data.")
final class BenchCommand implements Callable<Integer> {
    @Mixin ModelFile input;
    @Mixin MaxMemoryOption maxMemory;
    @Mixin NumericsOption numerics;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "bytecode", description = "interp | java | bytecode (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--simd", paramLabel = "on|off", defaultValue = "on", description = "vector loops in generated code (default: ${DEFAULT-VALUE})")
    String simd;

    @Option(names = "--threads", paramLabel = "T", description = "threads for large matrix products (default: available processors)")
    Integer threads;

    @Option(names = "--batch", paramLabel = "N", description = "rows per step (default: the train block's batch)")
    Integer batch;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "3", description = "timed duration after warm-up (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--json", description = "print one line of JSON: steps_per_s, samples_per_s, backend, threads, batch, params, data_batches and the cold-start times (with --profile: the profile)")
    boolean json;

    @Option(names = "--profile", description = "then time each kernel of the train step: a table by share of the step, with kinds, shapes, GFLOP/s or GB/s and .nn lines")
    boolean profile;

    @Option(names = "--data", paramLabel = "K", arity = "0..1", fallbackValue = "8",
            description = "train on the first K batches of the train block's data source, cycled (K default 8), instead of a synthetic batch")
    Integer dataBatches;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        ColdStartClock clock = ColdStartClock.start();
        Backend be = RunOptions.backend(backend, spec);
        boolean vectors = RunOptions.simd(simd, spec);
        int threadCount = RunOptions.threads(threads, spec);
        if (!(seconds > 0) || seconds > 3600) throw Usage.error(spec, "--seconds must be in (0, 3600], got " + seconds);
        Compilation compilation = input.compilation();
        TrainConfig cfg = compilation.train();
        int rows = batch == null ? cfg.batch() : batch;
        if (batch != null) Usage.atLeast(spec, batch, 1, "--batch");
        if (profile) BenchProfile.check(spec, be, numerics.mode());
        if (dataBatches != null) Usage.atLeast(spec, dataBatches, 1, "--data");
        CompiledModel model = compilation.compiled(be, rows, vectors, numerics.mode());
        ParamInit.initialize(model, cfg.seed());
        clock.loaded();
        BenchBatches batches = dataBatches == null ? BenchBatches.synthetic(model, rows, cfg.seed())
                : BenchBatches.fromData(compilation, input.baseDir(), model, rows, dataBatches);

        clock.warming();
        warmUp(model, batches, rows, seconds);
        clock.warmed();
        long[] stepsAndNanos = run(model, batches, rows, seconds);
        double stepsPerSecond = stepsAndNanos[0] / (stepsAndNanos[1] / 1e9);
        double samplesPerSecond = stepsPerSecond * rows;
        PrintWriter out = spec.commandLine().getOut();
        if (json && !profile) {
            out.println(Json.object().put("steps_per_s", stepsPerSecond).put("samples_per_s", samplesPerSecond)
                    .put("backend", be.text()).put("simd", vectors).put("threads", threadCount).put("batch", rows)
                    .put("params", BenchBatches.parameterCount(model)).put("data_batches", dataBatches == null ? 0 : batches.count())
                    .put("startup_ms", clock.startupMs()).put("compile_ms", clock.compileMs())
                    .put("compile_cpu_ms", clock.compileCpuMs()).put("loaded_ms", clock.loadedMs())
                    .put("warm_ms", clock.warmMs()).put("warmed_ms", clock.warmedMs()).toString());
        } else if (!json) {
            out.printf("%s: %,.1f steps/s, %,.0f samples/s (%s backend, simd %s, %d threads, batch %d, %,d steps in %.2f s)%n",
                    compilation.name(), stepsPerSecond, samplesPerSecond, be.text(), vectors ? "on" : "off", threadCount, rows,
                    stepsAndNanos[0], stepsAndNanos[1] / 1e9);
        }
        if (profile) BenchProfile.run(compilation, be, rows, vectors, threadCount, seconds, model, batches,
                m -> dataBatches == null ? BenchBatches.synthetic(m, rows, cfg.seed()) : BenchBatches.fromData(compilation, input.baseDir(), m, rows, dataBatches),
                json, out);
        out.flush();
        return 0;
    }

    /** Longest warm-up: vector code runs very slowly until C2 has compiled it, which takes a while on a busy machine. */
    static final double MAX_WARM_UP_SECONDS = 30;

    /**
     * Trains in rounds of {@code seconds / 4} (at least 0.1 s) until two rounds in a row are no more
     * than 3% faster than the fastest before and the JIT compiled for less than 2% of each, i.e. the JIT has settled, or
     * {@link #MAX_WARM_UP_SECONDS} have passed; and never before every kernel has run past its
     * scalar twin ({@link VectorWarmup#scalarCalls} calls), whose steady rate would otherwise be
     * timed (LeNet at ~120 steps/s needs 17 s for that). (On a busy machine the rate can stall while
     * C2 is still compiling the vector kernels; the rate alone then ended the warm-up far too early.)
     */
    static void warmUp(CompiledModel model, BenchBatches batches, int rows, double seconds) {
        double round = Math.max(0.1, seconds / 4);
        double previous = 0;
        int settled = 0;
        long steps = 0;
        JitClock jit = JitClock.start();
        for (double spent = 0; spent < MAX_WARM_UP_SECONDS; spent += round) {
            long[] r = run(model, batches, rows, round);
            steps += r[0];
            double rate = r[0] / (r[1] / 1e9);
            boolean compiling = jit.compiledMillisSinceLast() > 0.02 * r[1] / 1e6;
            settled = spent > 0 && rate <= previous * 1.03 && !compiling ? settled + 1 : 0;
            if (settled >= 2 && steps > VectorWarmup.scalarCalls) return;
            previous = Math.max(previous, rate);
        }
    }

    /** Train steps, each on the next batch, until {@code seconds} have passed (at least one); returns {steps, nanoseconds}. */
    static long[] run(CompiledModel model, BenchBatches batches, int rows, double seconds) {
        long start = System.nanoTime();
        long limit = (long) (seconds * 1e9);
        long steps = 0;
        long elapsed;
        do {
            batches.next();
            model.trainStep(rows);
            steps++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < limit);
        return new long[] {steps, elapsed};
    }

    /** Gaussian inputs; class-index targets in range of the first 2-D output; float targets 0 or 1. */
    static void fillSynthetic(CompiledModel m, int rows, SplittableRandom rnd) {
        for (TensorSpec t : m.info().tensors()) {
            if (t.role() != Role.INPUT && t.role() != Role.TARGET) continue;
            int n = t.elementCount(rows);
            int off = m.offset(t.name());
            if (t.dtype() == DType.I32) {
                int classes = classes(m);
                int[] a = m.ints(t.name());
                for (int i = 0; i < n; i++) a[off + i] = rnd.nextInt(classes);
            } else {
                float[] a = m.floats(t.name());
                for (int i = 0; i < n; i++) a[off + i] = t.role() == Role.TARGET ? rnd.nextInt(2) : (float) rnd.nextGaussian();
            }
        }
    }

    private static int classes(CompiledModel m) {
        for (TensorSpec t : m.info().withRole(Role.OUTPUT))
            if (t.rank() == 2 && !t.name().equals(m.info().lossName())) return t.dim(1);
        return 2;
    }
}
