package nnc.cli;

import nnc.driver.Backend;
import nnc.driver.UserError;
import nnc.runtime.kernels.Parallelism;

/** Parsing of the {@code --backend}, {@code --simd on|off} and {@code --threads T} options several commands share. */
final class RunOptions {
    private RunOptions() {}

    /** {@code interp | java | bytecode}; anything else is a user error of {@code nnc COMMAND}. */
    static Backend backend(String value, String command) {
        try {
            return Backend.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UserError("nnc " + command + ": error: " + e.getMessage());
        }
    }

    /** {@code on} → true, {@code off} → false; anything else is a user error of {@code nnc COMMAND}. */
    static boolean simd(String value, String command) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new UserError("nnc " + command + ": error: --simd must be on or off, not '" + value + "'");
        };
    }

    /** Sets the runtime's GEMM thread count (null: keep the default, the available processors); returns it. */
    static int threads(Integer value, String command) {
        if (value != null) {
            if (value < 1 || value > Parallelism.MAX_THREADS)
                throw new UserError("nnc " + command + ": error: --threads must be between 1 and " + Parallelism.MAX_THREADS + ", got " + value);
            Parallelism.setThreads(value);
        }
        return Parallelism.threads();
    }
}
