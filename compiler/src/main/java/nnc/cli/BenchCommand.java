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
import nnc.runtime.train.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc bench FILE}: times training steps on synthetic batches of the model's input shapes
 * (Gaussian inputs, float targets in {0, 1}, class-index targets in range), after a warm-up that
 * lasts until the step rate stops rising (at most 30 s), and
 * prints steps/s and samples/s. A rough figure for one machine; JMH in {@code benchmarks/} is the
 * careful measurement.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time training steps on synthetic batches after warm-up.")
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

    @Option(names = "--json", description = "print one line of JSON: steps_per_s, samples_per_s, backend, threads, batch (with --profile: the profile)")
    boolean json;

    @Option(names = "--profile", description = "then time each kernel of the train step: a table by share of the step, with kinds, shapes, GFLOP/s or GB/s and .nn lines")
    boolean profile;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        Backend be = RunOptions.backend(backend, spec);
        boolean vectors = RunOptions.simd(simd, spec);
        int threadCount = RunOptions.threads(threads, spec);
        if (!(seconds > 0) || seconds > 3600) throw Usage.error(spec, "--seconds must be in (0, 3600], got " + seconds);
        Compilation compilation = input.compilation();
        TrainConfig cfg = compilation.train();
        int rows = batch == null ? cfg.batch() : batch;
        if (batch != null) Usage.atLeast(spec, batch, 1, "--batch");
        if (profile) BenchProfile.check(spec, be, numerics.mode());
        CompiledModel model = compilation.compiled(be, rows, vectors, numerics.mode());
        ParamInit.initialize(model, cfg.seed());
        fillSynthetic(model, rows, new SplittableRandom(cfg.seed()));

        warmUp(model, rows, seconds);
        long[] stepsAndNanos = run(model, rows, seconds);
        double stepsPerSecond = stepsAndNanos[0] / (stepsAndNanos[1] / 1e9);
        double samplesPerSecond = stepsPerSecond * rows;
        PrintWriter out = spec.commandLine().getOut();
        if (json && !profile) {
            out.println(Json.object().put("steps_per_s", stepsPerSecond).put("samples_per_s", samplesPerSecond)
                    .put("backend", be.text()).put("simd", vectors).put("threads", threadCount).put("batch", rows).toString());
        } else if (!json) {
            out.printf("%s: %,.1f steps/s, %,.0f samples/s (%s backend, simd %s, %d threads, batch %d, %,d steps in %.2f s)%n",
                    compilation.name(), stepsPerSecond, samplesPerSecond, be.text(), vectors ? "on" : "off", threadCount, rows,
                    stepsAndNanos[0], stepsAndNanos[1] / 1e9);
        }
        if (profile) BenchProfile.run(compilation, be, rows, vectors, threadCount, seconds, model, json, out);
        out.flush();
        return 0;
    }

    /** Longest warm-up: vector code runs very slowly until C2 has compiled it, which takes a while on a busy machine. */
    static final double MAX_WARM_UP_SECONDS = 30;

    /**
     * Trains in rounds of {@code seconds / 4} (at least 0.1 s) until a round is no more than 3% faster
     * than the one before, i.e. the JIT has settled, or {@link #MAX_WARM_UP_SECONDS} have passed.
     */
    static void warmUp(CompiledModel model, int rows, double seconds) {
        double round = Math.max(0.1, seconds / 4);
        double previous = 0;
        for (double spent = 0; spent < MAX_WARM_UP_SECONDS; spent += round) {
            long[] r = run(model, rows, round);
            double rate = r[0] / (r[1] / 1e9);
            if (spent > 0 && rate <= previous * 1.03) return;
            previous = rate;
        }
    }

    /** Train steps until {@code seconds} have passed (at least one); returns {steps, nanoseconds}. */
    static long[] run(CompiledModel model, int rows, double seconds) {
        long start = System.nanoTime();
        long limit = (long) (seconds * 1e9);
        long steps = 0;
        long elapsed;
        do {
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
