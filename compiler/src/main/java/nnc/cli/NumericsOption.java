package nnc.cli;

import nnc.driver.UserError;
import nnc.runtime.Numerics;
import nnc.runtime.io.TensorFile;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --check-numerics[=off|on|full]}, shared by the commands that run a model: {@code on} (the
 * default) stops at the first NaN or infinity in a loss, in parameters after an epoch, or in a loaded
 * parameter file or checkpoint, naming the tensor and element; {@code full} also checks every kernel's
 * output and names the kernel and its {@code .nn} line; {@code off} checks nothing.
 */
final class NumericsOption {
    @Option(names = "--check-numerics", arity = "0..1", paramLabel = "off|on|full", defaultValue = "on", fallbackValue = "on",
            converter = ModeConverter.class,
            description = "stop at the first NaN or infinity: on (default: losses, parameters after each epoch, loaded files), "
                    + "full (also every kernel's output, naming its .nn line; slower), off")
    Numerics.Mode mode = Numerics.Mode.ON;

    Numerics.Mode mode() { return mode; }

    /** Exit 1 naming {@code file}, the tensor and the element when a loaded tensor holds NaN or an infinity (unless off). */
    void checkLoaded(TensorFile file) {
        if (mode == Numerics.Mode.OFF) return;
        String problem = Numerics.firstNonFinite(file);
        if (problem != null)
            throw new UserError(file.origin() + ": error: " + problem + " (--check-numerics=off loads it anyway)");
    }

    static final class ModeConverter implements ITypeConverter<Numerics.Mode> {
        @Override public Numerics.Mode convert(String value) {
            Numerics.Mode m = Numerics.Mode.parse(value);
            if (m == null) throw new TypeConversionException("expected off, on or full, not '" + value + "'");
            return m;
        }
    }
}
