package nnc.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles every {@code .nn} file under {@code sourceDirectory} into trainer classes (readable
 * Java source, the same as {@code nnc compile --emit java}) under {@code outputDirectory}, and
 * adds that folder to the project's sources. The generated classes need only {@code nnc-runtime}
 * at run time. Errors in a model fail the build at {@code FILE:LINE:COL}, as the command line
 * reports them.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateMojo extends AbstractGenerateMojo {
    /** The folder of {@code .nn} files; subfolders give the package of their classes. */
    @Parameter(defaultValue = "${project.basedir}/src/main/nn", property = "nnc.sourceDirectory", required = true)
    private File sourceDirectory;

    /** The folder the trainer classes are written to; it is added to the project's sources. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/nnc", property = "nnc.outputDirectory", required = true)
    private File outputDirectory;

    @Override File sourceDirectory() { return sourceDirectory; }

    @Override File outputDirectory() { return outputDirectory; }

    @Override String stateName() { return "generate.state"; }

    @Override void addSourceRoot(String folder) { project.addCompileSourceRoot(folder); }
}
