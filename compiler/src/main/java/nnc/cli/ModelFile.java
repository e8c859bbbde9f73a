package nnc.cli;

import java.nio.file.Path;
import java.util.List;
import nnc.diag.SourceFile;
import nnc.driver.Compilation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code FILE [--model NAME]} arguments every command that reads a model shares. */
final class ModelFile {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "which model, when the file defines several")
    String model;

    @Option(names = "--time", paramLabel = "N", description = "the length of the sequence dimension 'time' (default: the train data's sequence length)")
    Long time;

    @Spec(Spec.Target.MIXEE) CommandSpec command;

    /**
     * Reads, parses and checks the file and picks the model: its {@link Compilation}, the train
     * block as its train configuration. A {@code --model} the file does not define, or none when it
     * defines several, is a usage error listing the models.
     */
    Compilation compilation() { return compilation(false); }

    /** As {@link #compilation()}; {@code unsafeMath}: the middle end also applies the inexact simplifications. */
    Compilation compilation(boolean unsafeMath) {
        if (time != null) Usage.atLeast(command, time, 1, "--time");
        SourceFile src = Compilation.read(file);
        Sources.remember(src);
        List<Compilation> all = Compilation.all(src, new Compilation.Options(model, time, unsafeMath));
        List<String> names = all.stream().map(Compilation::name).toList();
        if (model == null) {
            if (all.size() > 1)
                throw Usage.error(command, file + " defines " + all.size() + " models (" + String.join(", ", names) + "): pick one with --model NAME");
            return all.get(0);
        }
        for (Compilation c : all) if (c.name().equals(model)) return c;
        throw Usage.error(command, "--model " + model + ": " + file + " defines no model of that name; its models: " + String.join(", ", names));
    }

    /** The directory relative data paths are resolved against: the .nn file's own. */
    Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
