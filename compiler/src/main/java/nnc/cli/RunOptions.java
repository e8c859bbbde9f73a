package nnc.cli;

import nnc.driver.Backend;
import nnc.runtime.kernels.Parallelism;
import picocli.CommandLine.Model.CommandSpec;

/** Parsing of the {@code --backend}, {@code --simd on|off} and {@code --threads T} options several commands share; bad values are usage errors. */
final class RunOptions {
    private RunOptions() {}

    /** {@code interp | java | bytecode}. */
    static Backend backend(String value, CommandSpec spec) {
        try {
            return Backend.parse(value);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, e.getMessage());
        }
    }

    /** {@code on} → true, {@code off} → false. */
    static boolean simd(String value, CommandSpec spec) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw Usage.error(spec, "--simd must be on or off, not '" + value + "'");
        };
    }

    /** Sets the runtime's GEMM thread count (null: keep the default, the available processors); returns it. */
    static int threads(Integer value, CommandSpec spec) {
        if (value != null) {
            if (value < 1 || value > Parallelism.MAX_THREADS)
                throw Usage.error(spec, "--threads must be between 1 and " + Parallelism.MAX_THREADS + ", got " + value);
            Parallelism.setThreads(value);
        }
        return Parallelism.threads();
    }
}
