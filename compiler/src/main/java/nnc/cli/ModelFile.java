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

    FrontEnd.Loaded load() {
        SourceFile src = FrontEnd.read(file);
        Sources.remember(src);
        return FrontEnd.load(src, model);
    }

    /** The directory relative data paths are resolved against: the .nn file's own. */
    Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
