package nnc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Usage errors raised by a command itself (a flag value out of range, a missing option, an unknown
 * {@code --model}): picocli's own {@link CommandLine.ParameterException}, so {@link Main} reports
 * them as it reports parse errors: {@code nnc train: error: TEXT}, a hint to --help, exit code 2.
 */
final class Usage {
    private Usage() {}

    /** The usage error {@code text} (without the {@code nnc COMMAND: error:} prefix, which Main adds). */
    static CommandLine.ParameterException error(CommandSpec spec, String text) {
        return new CommandLine.ParameterException(spec.commandLine(), text);
    }

    /** {@code value}, or a usage error when it is below {@code min}. */
    static long atLeast(CommandSpec spec, long value, long min, String flag) {
        if (value < min) throw error(spec, flag + " must be at least " + min + ", got " + value);
        return value;
    }
}
