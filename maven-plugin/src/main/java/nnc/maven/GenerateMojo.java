package nnc.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nnc.diag.CompileError;
import nnc.diag.DiagnosticPrinter;
import nnc.diag.SourceFile;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import nnc.runtime.io.OutputFile;
import nnc.runtime.io.OutputFileException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * {@code nnc:generate}: compiles every {@code .nn} file under {@code sourceDirectory} into a
 * trainer class (readable Java source, the same as {@code nnc compile --emit java}) under
 * {@code outputDirectory}, and adds that folder to the project's sources. The generated classes
 * need only {@code nnc-runtime} at run time. A file whose output is newer than it is skipped.
 * Diagnostics fail the build with the same {@code FILE:LINE:COL: error: ...} text as the CLI.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project.basedir}/src/main/nn", property = "nnc.sourceDirectory")
    private File sourceDirectory;

    @Parameter(defaultValue = "${project.build.directory}/generated-sources/nnc", property = "nnc.outputDirectory")
    private File outputDirectory;

    /** Package of the generated classes; each class is named after its model. */
    @Parameter(defaultValue = "nnc.generated", property = "nnc.package")
    private String packageName;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override public void execute() throws MojoExecutionException, MojoFailureException {
        Path src = sourceDirectory.toPath(), out = outputDirectory.toPath();
        if (!Files.isDirectory(src)) {
            getLog().info("nnc: no " + src + ", nothing to compile");
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(src)) {
            files = s.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("nnc: cannot list " + src + ": " + e.getMessage(), e);
        }
        List<String> failures = new ArrayList<>();
        int written = 0;
        for (Path file : files) {
            SourceFile source = null;
            try {
                if (upToDate(file, out)) continue;
                source = Compilation.read(file);
                generate(file, source, out);
                written++;
            } catch (CompileError e) {
                StringBuilder sb = new StringBuilder();
                SourceFile read = source; // null when the file is not UTF-8 text: the message alone
                e.diagnostics().forEach(d -> sb.append(DiagnosticPrinter.render(d, read)));
                failures.add(sb.toString());
            } catch (UserError e) {
                failures.add(e.getMessage());
            } catch (IOException | OutputFileException e) {
                throw new MojoExecutionException("nnc: cannot write the trainer of " + file + ": " + e.getMessage(), e);
            }
        }
        if (!failures.isEmpty()) {
            failures.forEach(getLog()::error);
            throw new MojoFailureException("nnc: " + failures.size() + " of " + files.size() + " .nn files did not compile (see the errors above)");
        }
        getLog().info("nnc: " + files.size() + " model file(s), " + written + " trainer(s) regenerated in " + out);
        project.addCompileSourceRoot(out.toString());
    }

    /** The stamp that records when the trainer of {@code file} was last written. */
    private Path marker(Path file, Path out) {
        return out.resolve(".nnc-" + sourceDirectory.toPath().relativize(file).toString().replace('/', '_') + ".stamp");
    }

    /** Whether the trainer of {@code file} was written after the file last changed. */
    private boolean upToDate(Path file, Path out) throws IOException {
        Path marker = marker(file, out);
        return Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(Files.getLastModifiedTime(file)) >= 0;
    }

    /** Writes the trainer of {@code source}'s model: the Java source {@code nnc compile --emit java} writes, in {@code packageName}. */
    private void generate(Path file, SourceFile source, Path out) throws IOException {
        Compilation compilation = Compilation.of(source);
        String simpleName = compilation.className();
        Path target = out.resolve(packageName.replace('.', '/')).resolve(simpleName + ".java");
        OutputFile.createDirectories(target.getParent());
        // as nnc compile writes: a temporary sibling, then a rename, so a failed build never leaves half a class
        OutputFile.write(target, compilation.javaSource(packageName, true).getBytes(StandardCharsets.UTF_8));
        OutputFile.write(marker(file, out), target.toString().getBytes(StandardCharsets.UTF_8));
        getLog().info("nnc: " + file.getFileName() + " -> " + packageName + "." + simpleName);
    }
}
