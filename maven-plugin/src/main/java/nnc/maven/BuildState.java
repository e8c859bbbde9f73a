package nnc.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.runtime.io.OutputFile;

/**
 * What the last run of a goal generated: the fingerprint of its configuration and plugin, and per
 * source file (path relative to the source folder) its content hash and its outputs (the model and
 * the file relative to the output folder). A text file, one record per line; a state that cannot be
 * read is empty, which compiles every file again.
 *
 * @param fingerprint the configuration and plugin the outputs were made with
 * @param sources     per source file, in order
 */
record BuildState(String fingerprint, Map<String, Source> sources) {
    private static final String HEADER = "nnc-maven-plugin state 1";

    /** One source file: its hash and the trainer classes written from it. */
    record Source(String hash, List<Output> outputs) {}

    /** One trainer class: the model's name and the file, relative to the output folder, with '/'. */
    record Output(String model, String file) {}

    static BuildState empty() { return new BuildState("", new LinkedHashMap<>()); }

    /** The state in {@code file}, or an empty one when it is missing or not a state file. */
    static BuildState read(Path file) {
        if (!Files.isRegularFile(file)) return empty();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("fingerprint ")) return empty();
            Map<String, Source> sources = new LinkedHashMap<>();
            Source current = null;
            for (String line : lines.subList(2, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f[0].equals("source") && f.length == 3) {
                    current = new Source(f[2], new ArrayList<>());
                    sources.put(f[1], current);
                } else if (f[0].equals("output") && f.length == 3 && current != null) {
                    current.outputs().add(new Output(f[1], f[2]));
                } else {
                    return empty();
                }
            }
            return new BuildState(lines.get(1).substring("fingerprint ".length()), sources);
        } catch (IOException | RuntimeException e) {
            return empty();
        }
    }

    /** Writes the state to {@code file} (a temporary sibling, then a rename). */
    void write(Path file) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n').append("fingerprint ").append(fingerprint).append('\n');
        sources.forEach((path, s) -> {
            sb.append("source\t").append(path).append('\t').append(s.hash()).append('\n');
            for (Output o : s.outputs()) sb.append("output\t").append(o.model()).append('\t').append(o.file()).append('\n');
        });
        OutputFile.createDirectories(file.getParent());
        OutputFile.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
