package nnc.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What {@code nnc:generate} and {@code nnc:generate-test} share: the parameters, the Java version
 * check and the call into {@link Generation}. Compiled for Java 8 (see the pom), so that a Maven
 * running on an older Java gets a clear message instead of an {@code UnsupportedClassVersionError}.
 */
public abstract class AbstractGenerateMojo extends AbstractMojo {
    /** The oldest Java the compiler and the generated trainers run on. */
    static final int REQUIRED_JAVA = 21;

    /**
     * Package of every generated class. When not set, a file's package is its folder under the
     * source directory ({@code src/main/nn/com/acme/model.nn} gives {@code com.acme}), and files
     * directly in the source directory go to {@code nnc.generated}.
     */
    @Parameter(property = "nnc.package")
    private String packageName;

    /**
     * Names of the models to generate, for files that define several. When empty, every model of
     * every file gets a trainer class. A name that no file defines fails the build.
     */
    @Parameter(property = "nnc.models")
    private List<String> models;

    /** Skips the goal: nothing is generated and no source folder is added. */
    @Parameter(property = "nnc.skip", defaultValue = "false")
    private boolean skip;

    /**
     * Folder of the build state (source hashes and the outputs of each source) that makes builds
     * incremental: a file is compiled again only when it, the plugin's configuration or the
     * plugin changed, and the outputs of removed files are deleted.
     */
    @Parameter(defaultValue = "${project.build.directory}/maven-status/nnc", readonly = true, required = true)
    private File statusDirectory;

    /** Version of this plugin: a new version compiles every file again. */
    @Parameter(defaultValue = "${plugin.version}", readonly = true, required = true)
    private String pluginVersion;

    /** The project whose sources get the output folder. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** The folder of {@code .nn} files. */
    abstract File sourceDirectory();

    /** The folder the trainer classes are written to. */
    abstract File outputDirectory();

    /** The name of the build state file under {@link #statusDirectory}. */
    abstract String stateName();

    /** Adds the output folder to the project's main or test sources. */
    abstract void addSourceRoot(String folder);

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("nnc: skipped (nnc.skip)");
            return;
        }
        String problem = javaTooOld(System.getProperty("java.specification.version"));
        if (problem != null) throw new MojoExecutionException(problem);
        List<String> selected = models == null ? new ArrayList<String>() : models;
        File state = new File(statusDirectory, stateName());
        if (Generation.run(sourceDirectory(), outputDirectory(), state, packageName, selected, pluginVersion, getLog()))
            addSourceRoot(outputDirectory().getPath());
    }

    /** Null when {@code specVersion} (a {@code java.specification.version}) is new enough, else the message that says so. */
    static String javaTooOld(String specVersion) {
        String major = specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion;
        int dot = major.indexOf('.');
        if (Integer.parseInt(dot < 0 ? major : major.substring(0, dot)) >= REQUIRED_JAVA) return null;
        return "nnc-maven-plugin needs Java " + REQUIRED_JAVA + " or newer, but this Maven runs on Java " + specVersion
                + " (" + System.getProperty("java.home") + "): run Maven with JAVA_HOME set to a JDK " + REQUIRED_JAVA + " or newer";
    }
}
