package nnc.cli;

import java.nio.file.Path;
import nnc.driver.FrontEnd;
import nnc.syntax.SourceFile;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code FILE [--model NAME]} arguments every command that reads a model shares. */
final class ModelFile {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "which model, when the file defines several")
    String model;

    @Option(names = "--time", paramLabel = "N", description = "the length of the sequence dimension 'time' (default: the train data's sequence length)")
    Long time;

    FrontEnd.Loaded load() {
        if (time != null && time < 1) throw new nnc.driver.UserError("nnc: error: --time must be at least 1, got " + time);
        SourceFile src = FrontEnd.read(file);
        Sources.remember(src);
        return FrontEnd.load(src, model, time);
    }

    /** The directory relative data paths are resolved against: the .nn file's own. */
    Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
