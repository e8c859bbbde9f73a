package nnc.maven;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import nnc.runtime.io.OutputFile;
import nnc.runtime.io.OutputFileException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * One run of a generate goal, incremental: a {@code .nn} file is compiled again only when its
 * content, the goal's configuration or the plugin changed (or one of its outputs is gone); the
 * outputs of files that were removed, or that no longer define a model, are deleted. What was
 * generated is kept in a {@link BuildState}.
 */
final class Generation {
    private final Path sourceDirectory, outputDirectory;
    private final String packageName;
    private final Set<String> models;
    private final Log log;
    private final List<String> failures = new ArrayList<>();

    private Generation(Path sourceDirectory, Path outputDirectory, String packageName, List<String> models, Log log) {
        this.sourceDirectory = sourceDirectory;
        this.outputDirectory = outputDirectory;
        this.packageName = packageName == null || packageName.isBlank() ? null : packageName.strip();
        this.models = new TreeSet<>(models);
        this.log = log;
    }

    /**
     * Brings {@code output} up to date with the {@code .nn} files under {@code source}.
     *
     * @param packageName   the package of every class, or null for the folder layout's
     * @param models        the models to generate (empty: all)
     * @param pluginVersion the plugin's version, part of the fingerprint
     * @return whether there are generated sources (the output folder is to be compiled)
     * @throws MojoFailureException   for errors in the models or the configuration
     * @throws MojoExecutionException when a file cannot be read or written
     */
    static boolean run(File source, File output, File stateFile, String packageName, List<String> models, String pluginVersion, Log log)
            throws MojoExecutionException, MojoFailureException {
        Generation g = new Generation(source.toPath(), output.toPath(), packageName, models, log);
        try {
            return g.run(stateFile.toPath(), pluginVersion);
        } catch (IOException | UncheckedIOException | OutputFileException e) {
            throw new MojoExecutionException("nnc: " + e.getMessage(), e);
        }
    }

    private boolean run(Path stateFile, String pluginVersion) throws IOException, MojoFailureException {
        if (packageName != null && !SourceVersion.isName(packageName))
            throw new MojoFailureException("nnc: packageName '" + packageName + "' is not a Java package name");
        BuildState old = BuildState.read(stateFile);
        String fingerprint = fingerprint(pluginVersion);
        if (!old.fingerprint().equals(fingerprint)) {
            if (!old.sources().isEmpty()) log.info("nnc: the configuration or the plugin changed: every model file is compiled again");
            old.sources().values().forEach(this::delete);
            old = BuildState.empty();
        }
        List<Path> files = sources();
        Map<String, Path> current = new LinkedHashMap<>();
        for (Path f : files) current.put(relative(sourceDirectory, f), f);
        for (var e : old.sources().entrySet())
            if (!current.containsKey(e.getKey())) {
                log.info("nnc: " + e.getKey() + " was removed: deleting its trainer classes");
                delete(e.getValue());
            }
        BuildState next = new BuildState(fingerprint, new LinkedHashMap<>());
        Map<String, String> classOwners = new HashMap<>();
        int compiled = 0;
        for (var e : current.entrySet()) {
            byte[] bytes = Files.readAllBytes(e.getValue());
            String hash = sha256(bytes);
            BuildState.Source before = old.sources().get(e.getKey());
            BuildState.Source now = before != null && before.hash().equals(hash) && outputsExist(before) ? before : compile(e.getValue(), hash);
            if (now == null) { // errors: compiled again next time; its old outputs stay recorded, to be deleted with it
                if (before != null) next.sources().put(e.getKey(), new BuildState.Source("failed", before.outputs()));
                continue;
            }
            if (now != before) {
                compiled++;
                if (before != null) deleteOthers(before, now);
            }
            for (BuildState.Output o : now.outputs()) {
                String other = classOwners.putIfAbsent(o.file(), e.getKey());
                if (other != null)
                    failures.add(e.getValue() + ": error: model '" + o.model() + "' gives the class " + o.file()
                            + ", which " + other + " also gives: rename one model or set packageName");
            }
            next.sources().put(e.getKey(), now);
        }
        next.write(stateFile);
        Set<String> generated = new HashSet<>();
        next.sources().values().forEach(s -> s.outputs().forEach(o -> generated.add(o.model())));
        for (String m : models)
            if (!generated.contains(m)) failures.add("nnc: no .nn file under " + sourceDirectory + " defines a model named '" + m + "' (models)");
        if (!failures.isEmpty()) {
            failures.forEach(log::error);
            throw new MojoFailureException("nnc: " + failures.size() + " error(s) in the models under " + sourceDirectory + " (see above)");
        }
        log.info("nnc: " + files.size() + " model file(s), " + compiled + " compiled, " + (files.size() - compiled) + " up to date, in " + outputDirectory);
        return !generated.isEmpty();
    }

    /** The configuration and the plugin (its version and the compiler's build), hashed. */
    private String fingerprint(String pluginVersion) {
        String compiler = "?";
        try {
            Path code = Path.of(Compilation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            compiler = code + " " + Files.getLastModifiedTime(code).toMillis() + " " + Files.size(code);
        } catch (Exception e) { // no code source: the version alone
            log.debug("nnc: compiler location unknown: " + e);
        }
        String config = "package=" + packageName + "\nmodels=" + models + "\noutput=" + outputDirectory.toAbsolutePath()
                + "\nplugin=" + pluginVersion + "\ncompiler=" + compiler + "\n";
        return sha256(config.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code .nn} files under the source folder, in a stable order. */
    private List<Path> sources() throws IOException {
        if (!Files.isDirectory(sourceDirectory)) return List.of();
        try (Stream<Path> s = Files.walk(sourceDirectory)) {
            return s.filter(p -> p.toString().endsWith(".nn") && Files.isRegularFile(p)).sorted().toList();
        }
    }

    /** Compiles every selected model of {@code file}; null (and the errors in {@link #failures}) when it does not compile. */
    private BuildState.Source compile(Path file, String hash) {
        String pkg = packageOf(file);
        if (pkg == null) return null;
        SourceFile source = null;
        try {
            source = Compilation.read(file);
            List<Compilation> all = Compilation.all(source, Compilation.Options.DEFAULT);
            List<BuildState.Output> outputs = new ArrayList<>();
            Map<Path, byte[]> texts = new LinkedHashMap<>();
            for (Compilation c : all) {
                if (!models.isEmpty() && !models.contains(c.name())) continue;
                for (Diagnostic w : c.warnings()) log.warn(DiagnosticPrinter.render(w, c.source()).stripTrailing());
                String relative = pkg.replace('.', '/') + "/" + c.className() + ".java";
                texts.put(outputDirectory.resolve(relative), c.javaSource(pkg, true).getBytes(StandardCharsets.UTF_8));
                outputs.add(new BuildState.Output(c.name(), relative));
            }
            for (var t : texts.entrySet()) { // a temporary sibling, then a rename: a failed build never leaves half a class
                OutputFile.createDirectories(t.getKey().getParent());
                OutputFile.write(t.getKey(), t.getValue());
            }
            for (BuildState.Output o : outputs) log.info("nnc: " + relative(sourceDirectory, file) + " -> " + pkg + "." + o.file().substring(o.file().lastIndexOf('/') + 1).replace(".java", ""));
            return new BuildState.Source(hash, outputs);
        } catch (CompileError e) {
            StringBuilder sb = new StringBuilder();
            SourceFile read = source; // null when the file is not UTF-8 text: the message alone
            e.diagnostics().forEach(d -> sb.append(DiagnosticPrinter.render(d, read)));
            failures.add(sb.toString().stripTrailing());
            return null;
        } catch (UserError e) {
            failures.add(e.getMessage());
            return null;
        }
    }

    /** The package of {@code file}'s classes: {@code packageName}, else its folder's; null (and an error) when the folder is not a package name. */
    private String packageOf(Path file) {
        if (packageName != null) return packageName;
        Path folder = sourceDirectory.relativize(file).getParent();
        if (folder == null) return Backend.GENERATED_PACKAGE;
        String pkg = relative(folder).replace('/', '.');
        if (SourceVersion.isName(pkg)) return pkg;
        failures.add(file + ": error: the folder '" + relative(folder) + "' is not a Java package name: rename it, or set packageName");
        return null;
    }

    private boolean outputsExist(BuildState.Source s) {
        return s.outputs().stream().allMatch(o -> Files.isRegularFile(outputDirectory.resolve(o.file())));
    }

    /** Deletes the outputs of {@code before} that {@code now} does not write. */
    private void deleteOthers(BuildState.Source before, BuildState.Source now) throws IOException {
        Set<String> kept = new HashSet<>();
        now.outputs().forEach(o -> kept.add(o.file()));
        for (BuildState.Output o : before.outputs()) if (!kept.contains(o.file())) deleteFile(o.file());
    }

    private void delete(BuildState.Source s) {
        try {
            for (BuildState.Output o : s.outputs()) deleteFile(o.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteFile(String file) throws IOException {
        Path p = outputDirectory.resolve(file);
        if (Files.deleteIfExists(p)) log.debug("nnc: deleted " + p);
    }

    private static String relative(Path base, Path file) { return relative(base.relativize(file)); }

    private static String relative(Path p) { return p.toString().replace(File.separatorChar, '/'); }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
