package nnc.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.function.Function;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.profile.KernelProfile;
import nnc.profile.ProfileTable;
import nnc.runtime.CompiledModel;
import nnc.runtime.GeneratedModel;
import nnc.runtime.Numerics;
import nnc.runtime.kernels.ParamInit;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nnc bench FILE --profile}: after the ordinary timed run, the same model built profiled
 * ({@link Compilation#profiled}) is warmed up, the two run in turns until the JIT compiler has
 * settled ({@link #settle}), then they are timed in turns ({@link #ROUNDS} of each, alternating,
 * so that both see the same machine), and the time of each kernel call of the profiled train step
 * is printed as a {@link ProfileTable} (or, with {@code --json}, one JSON object).
 */
final class BenchProfile {
    /** Timed rounds of each model, alternating plain and profiled. */
    static final int ROUNDS = 4;

    private BenchProfile() {}

    /** Usage errors for combinations a profile cannot be made of: the interpreter, or every kernel's output checked. */
    static void check(CommandSpec spec, Backend backend, Numerics.Mode numerics) {
        if (backend == Backend.INTERP)
            throw Usage.error(spec, "--profile times the kernels of generated code: use --backend java or bytecode (the interpreter runs no kernels)");
        if (numerics == Numerics.Mode.FULL)
            throw Usage.error(spec, "--profile times the plain trainer: drop --check-numerics=full (its checks would be timed with the kernels)");
    }

    /**
     * Profiles {@code compilation} on {@code backend}: warms the profiled model up, then times it and
     * {@code plain} (the unprofiled model, warmed up already) in alternating rounds, {@code seconds}
     * for each in all, and prints the result.
     */
    static void run(Compilation compilation, Backend backend, int rows, boolean simd, int threads, double seconds, CompiledModel plain,
                    BenchBatches plainBatches, Function<CompiledModel, BenchBatches> batchesFor, boolean json, PrintWriter out) {
        GeneratedModel model = compilation.profiled(backend, rows, simd);
        ParamInit.initialize(model, compilation.train().seed());
        BenchBatches batches = batchesFor.apply(model);
        BenchCommand.warmUp(model, batches, rows, seconds);
        settle(plain, plainBatches, model, batches, rows, Math.max(0.25, seconds / ROUNDS));
        Arrays.fill(model.kernelNanos(), 0);
        long[] profiled = new long[2], unprofiled = new long[2];
        for (int round = 0; round < ROUNDS; round++) {
            add(unprofiled, BenchCommand.run(plain, plainBatches, rows, seconds / ROUNDS));
            add(profiled, BenchCommand.run(model, batches, rows, seconds / ROUNDS));
        }
        KernelProfile profile = KernelProfile.of(new KernelProfile.Run(compilation.name(), backend.text(), threads, rows),
                compilation.program(), compilation.source(), model.kernelNanos(), profiled[0], profiled[1], unprofiled[1] / (double) unprofiled[0]);
        out.print(json ? profile.json() + "\n" : ProfileTable.text(profile));
    }

    /**
     * Runs both models in turns, {@code round} seconds each, until a pair of rounds spends under 1 %
     * of its time in JIT compilation ({@link JitClock}; the rate test of the warm-up can stop while the
     * JIT is still at work on a busy machine), or {@link BenchCommand#MAX_WARM_UP_SECONDS} have passed;
     * after one pair when the JVM does not report compilation time.
     */
    private static void settle(CompiledModel plain, BenchBatches plainBatches, CompiledModel profiled, BenchBatches profiledBatches,
                               int rows, double round) {
        JitClock jit = JitClock.start();
        for (double spent = 0; spent < BenchCommand.MAX_WARM_UP_SECONDS; spent += 2 * round) {
            BenchCommand.run(plain, plainBatches, rows, round);
            BenchCommand.run(profiled, profiledBatches, rows, round);
            if (jit.compiledMillisSinceLast() < 0.01 * 2 * round * 1e3) return;
        }
    }

    private static void add(long[] total, long[] stepsAndNanos) {
        total[0] += stepsAndNanos[0];
        total[1] += stepsAndNanos[1];
    }
}
