package nnc.cli;

import java.nio.file.Path;
import java.util.List;
import nnc.driver.FrontEnd;
import nnc.syntax.SourceFile;
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
     * Reads, parses and checks the file and picks the model. A {@code --model} the file does not
     * define, or none when it defines several, is a usage error listing the models.
     */
    FrontEnd.Loaded load() {
        if (time != null) Usage.atLeast(command, time, 1, "--time");
        SourceFile src = FrontEnd.read(file);
        Sources.remember(src);
        List<FrontEnd.Loaded> all = FrontEnd.loadAll(src, time);
        List<String> names = all.stream().map(l -> l.model().decl().name()).toList();
        if (model == null) {
            if (all.size() > 1)
                throw Usage.error(command, file + " defines " + all.size() + " models (" + String.join(", ", names) + "): pick one with --model NAME");
            return all.get(0);
        }
        for (FrontEnd.Loaded l : all) if (l.model().decl().name().equals(model)) return l;
        throw Usage.error(command, "--model " + model + ": " + file + " defines no model of that name; its models: " + String.join(", ", names));
    }

    /** The directory relative data paths are resolved against: the .nn file's own. */
    Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }
}
