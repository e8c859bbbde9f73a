package nnc.cli;

import nnc.runtime.Limits;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --max-memory BYTES} ({@code 8g}, {@code 512m}, {@code 1000000}; default: the JVM's maximum
 * heap): the memory limit ({@link Limits#maxMemory()}) that data files, parameter files and the
 * model's own buffers are checked against before they are allocated. Every command that reads a
 * model's data or builds a trainer mixes it in; picocli sets the limit while parsing (the default
 * too), so one run never inherits another's.
 */
final class MaxMemoryOption {
    @Option(names = "--max-memory", paramLabel = "BYTES", defaultValue = "auto", converter = Bytes.class,
            description = "most memory for data, parameter files and the model's buffers, e.g. 8g or 512m (default: the JVM's maximum heap)")
    void maxMemory(long bytes) { Limits.setMaxMemory(bytes); }

    /** {@code auto}: the JVM's maximum heap; else a byte count as {@link Limits#parseBytes} reads it. */
    static final class Bytes implements ITypeConverter<Long> {
        @Override public Long convert(String value) {
            if (value.equals("auto")) return Limits.defaultMaxMemory();
            try {
                return Limits.parseBytes(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
