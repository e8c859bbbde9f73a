package nnc.maven;

import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles every {@code .nn} file under {@code testSourceDirectory} into trainer classes under
 * {@code testOutputDirectory}, and adds that folder to the project's test sources: models that
 * only the tests use. Otherwise the same as {@code nnc:generate}.
 */
@Mojo(name = "generate-test", defaultPhase = LifecyclePhase.GENERATE_TEST_SOURCES, threadSafe = true)
public final class GenerateTestMojo extends AbstractGenerateMojo {
    /** The folder of the tests' {@code .nn} files; subfolders give the package of their classes. */
    @Parameter(defaultValue = "${project.basedir}/src/test/nn", property = "nnc.testSourceDirectory", required = true)
    private File testSourceDirectory;

    /** The folder the tests' trainer classes are written to; it is added to the project's test sources. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/nnc", property = "nnc.testOutputDirectory", required = true)
    private File testOutputDirectory;

    @Override File sourceDirectory() { return testSourceDirectory; }

    @Override File outputDirectory() { return testOutputDirectory; }

    @Override String stateName() { return "generate-test.state"; }

    @Override void addSourceRoot(String folder) { project.addTestCompileSourceRoot(folder); }
}
