package nnc.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.SplittableRandom;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.profile.KernelProfile;
import nnc.profile.ProfileTable;
import nnc.runtime.GeneratedModel;
import nnc.runtime.Numerics;
import nnc.runtime.kernels.ParamInit;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nnc bench FILE --profile}: after the ordinary timed run, the same model built profiled
 * ({@link Compilation#profiled}) is warmed up and timed the same way, and the time of each kernel
 * call of its train step is printed as a {@link ProfileTable} (or, with {@code --json}, one JSON object).
 */
final class BenchProfile {
    private BenchProfile() {}

    /** Usage errors for combinations a profile cannot be made of: the interpreter, or every kernel's output checked. */
    static void check(CommandSpec spec, Backend backend, Numerics.Mode numerics) {
        if (backend == Backend.INTERP)
            throw Usage.error(spec, "--profile times the kernels of generated code: use --backend java or bytecode (the interpreter runs no kernels)");
        if (numerics == Numerics.Mode.FULL)
            throw Usage.error(spec, "--profile times the plain trainer: drop --check-numerics=full (its checks would be timed with the kernels)");
    }

    /**
     * Profiles {@code compilation} on {@code backend} for {@code seconds} after warm-up and prints the
     * result; {@code plainNanosPerStep} is the unprofiled step time measured before, for the footer.
     */
    static void run(Compilation compilation, Backend backend, int rows, boolean simd, int threads, double seconds, double plainNanosPerStep,
                    boolean json, PrintWriter out) {
        GeneratedModel model = compilation.profiled(backend, rows, simd);
        ParamInit.initialize(model, compilation.train().seed());
        BenchCommand.fillSynthetic(model, rows, new SplittableRandom(compilation.train().seed()));
        BenchCommand.warmUp(model, rows, seconds);
        Arrays.fill(model.kernelNanos(), 0);
        long[] stepsAndNanos = BenchCommand.run(model, rows, seconds);
        KernelProfile profile = KernelProfile.of(new KernelProfile.Run(compilation.name(), backend.text(), threads, rows),
                compilation.program(), compilation.source(), model.kernelNanos(), stepsAndNanos[0], stepsAndNanos[1], plainNanosPerStep);
        out.print(json ? profile.json() + "\n" : ProfileTable.text(profile));
    }
}
