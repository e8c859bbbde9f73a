package nnc.maven;

import static nnc.maven.GenerateMojoTest.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goals' conventions, run as Maven runs them (parameters set on the goal, then {@code execute}):
 * packages from the folder layout, model selection, skip, errors at FILE:LINE:COL, and incremental
 * builds that compile again exactly what changed and delete the outputs of removed sources.
 */
class GenerationTest {
    @TempDir Path tmp;
    Path src, out;
    MavenProject project;
    final List<String> infos = new ArrayList<>(), errors = new ArrayList<>();

    static String model(String name, float w) {
        return "model " + name + " {\n  input x: f32[batch, 1]\n  target y: f32[batch, 1]\n  param w: f32[1, 1] = " + w
                + "\n  output z = x @ w\n  loss sum((z - y) ^ 2)\n}\n";
    }

    @BeforeEach void folders() {
        src = tmp.resolve("src/main/nn");
        out = tmp.resolve("target/generated-sources/nnc");
    }

    private void write(String relative, String text) throws IOException {
        Path p = src.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private AbstractMojo mojo(String packageName, List<String> models, String version) throws Exception {
        project = new MavenProject();
        GenerateMojo mojo = new GenerateMojo();
        set(mojo, "sourceDirectory", src.toFile());
        set(mojo, "outputDirectory", out.toFile());
        set(mojo, "packageName", packageName);
        set(mojo, "models", models);
        set(mojo, "project", project);
        set(mojo, "statusDirectory", tmp.resolve("target/maven-status/nnc").toFile());
        set(mojo, "pluginVersion", version);
        infos.clear();
        errors.clear();
        mojo.setLog(new SystemStreamLog() {
            @Override public void info(CharSequence s) { infos.add(s.toString()); }
            @Override public void error(CharSequence s) { errors.add(s.toString()); }
        });
        return mojo;
    }

    private void run() throws Exception { mojo(null, List.of(), "1").execute(); }

    private List<String> outputs() throws IOException {
        if (!Files.isDirectory(out)) return List.of();
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(Files::isRegularFile).map(p -> out.relativize(p).toString()).sorted().toList();
        }
    }

    private String summary() { return infos.get(infos.size() - 1); }

    @Test void thePackageIsTheFolderUnderTheSourceDirectory() throws Exception {
        write("com/acme/model.nn", model("Model", 1));
        write("top.nn", model("Top", 1));
        run();
        assertEquals(List.of("com/acme/Model.java", "nnc/generated/Top.java"), outputs());
        assertTrue(Files.readString(out.resolve("com/acme/Model.java")).startsWith("package com.acme;"));
        assertEquals(List.of(out.toString()), project.getCompileSourceRoots());
    }

    @Test void packageNameOverridesTheLayout() throws Exception {
        write("com/acme/model.nn", model("Model", 1));
        mojo("org.example.nets", List.of(), "1").execute();
        assertEquals(List.of("org/example/nets/Model.java"), outputs());
    }

    @Test void aFolderThatIsNoPackageNameIsAnError() throws Exception {
        write("my-models/model.nn", model("Model", 1));
        MojoFailureException e = assertThrows(MojoFailureException.class, this::run);
        assertTrue(e.getMessage().contains("1 error"), e.getMessage());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("model.nn: error: the folder 'my-models' is not a Java package name"), errors.get(0));
    }

    @Test void everyModelOfAFileUnlessModelsPicksSome() throws Exception {
        write("pair.nn", model("First", 1) + model("Second", 2));
        run();
        assertEquals(List.of("nnc/generated/First.java", "nnc/generated/Second.java"), outputs());
        mojo(null, List.of("Second"), "1").execute(); // a new selection: First's class is deleted
        assertEquals(List.of("nnc/generated/Second.java"), outputs());
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo(null, List.of("Second", "Third"), "1").execute());
        assertTrue(errors.get(0).contains("defines a model named 'Third'"), errors.toString());
        assertTrue(e.getMessage().contains("1 error"), e.getMessage());
    }

    @Test void skipGeneratesNothing() throws Exception {
        write("model.nn", model("Model", 1));
        AbstractMojo mojo = mojo(null, List.of(), "1");
        set(mojo, "skip", true);
        mojo.execute();
        assertEquals(List.of(), outputs());
        assertEquals(List.of(), project.getCompileSourceRoots());
    }

    @Test void errorsFailTheBuildAtFileLineColumnAndTheOtherFilesAreGenerated() throws Exception {
        write("good.nn", model("Good", 1));
        write("bad.nn", "model Bad {\n  input x: f32[batch, 1]\n  target y: f32[batch, 1]\n  output z = x @ nowhere\n  loss sum((z - y) ^ 2)\n}\n");
        assertThrows(MojoFailureException.class, this::run);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith(src.resolve("bad.nn") + ":4:18: error: unknown name 'nowhere'"), errors.get(0));
        assertEquals(List.of("nnc/generated/Good.java"), outputs());
        write("bad.nn", model("Bad", 1)); // fixed: only it is compiled
        run();
        assertEquals(List.of("nnc/generated/Bad.java", "nnc/generated/Good.java"), outputs());
        assertTrue(summary().contains("2 model file(s), 1 compiled, 1 up to date"), summary());
    }

    @Test void anUnchangedBuildCompilesNothingAndAChangedFileIsCompiledAgain() throws Exception {
        write("a.nn", model("A", 1));
        write("b.nn", model("B", 1));
        run();
        assertTrue(summary().contains("2 compiled, 0 up to date"), summary());
        String before = Files.readString(out.resolve("nnc/generated/B.java"));
        run();
        assertTrue(summary().contains("0 compiled, 2 up to date"), summary());
        write("b.nn", model("B", 3));
        run();
        assertTrue(summary().contains("1 compiled, 1 up to date"), summary());
        String after = Files.readString(out.resolve("nnc/generated/B.java"));
        assertFalse(before.equals(after), "the new initial value is in the new class");
        Files.delete(out.resolve("nnc/generated/A.java")); // an output deleted by hand is written again
        run();
        assertTrue(summary().contains("1 compiled, 1 up to date"), summary());
        assertEquals(List.of("nnc/generated/A.java", "nnc/generated/B.java"), outputs());
    }

    @Test void theOutputsOfARemovedOrRenamedSourceOrModelAreDeleted() throws Exception {
        write("a.nn", model("A", 1));
        write("b.nn", model("B", 1));
        run();
        Files.delete(src.resolve("a.nn"));
        run();
        assertEquals(List.of("nnc/generated/B.java"), outputs());
        write("b.nn", model("Renamed", 1));
        run();
        assertEquals(List.of("nnc/generated/Renamed.java"), outputs());
    }

    @Test void aNewConfigurationOrPluginVersionCompilesEverythingAgain() throws Exception {
        write("a.nn", model("A", 1));
        run();
        mojo("p.q", List.of(), "1").execute();
        assertEquals(List.of("p/q/A.java"), outputs(), "the class in the old package is deleted");
        assertTrue(summary().contains("1 compiled, 0 up to date"), summary());
        mojo("p.q", List.of(), "2").execute();
        assertTrue(summary().contains("1 compiled, 0 up to date"), summary());
        mojo("p.q", List.of(), "2").execute();
        assertTrue(summary().contains("0 compiled, 1 up to date"), summary());
    }

    @Test void generateTestAddsATestSourceRoot() throws Exception {
        Path testSrc = tmp.resolve("src/test/nn/org/tests"), testOut = tmp.resolve("target/generated-test-sources/nnc");
        Files.createDirectories(testSrc);
        Files.writeString(testSrc.resolve("t.nn"), model("T", 1));
        MavenProject p = new MavenProject();
        GenerateTestMojo mojo = new GenerateTestMojo();
        set(mojo, "testSourceDirectory", tmp.resolve("src/test/nn").toFile());
        set(mojo, "testOutputDirectory", testOut.toFile());
        set(mojo, "models", List.of());
        set(mojo, "project", p);
        set(mojo, "statusDirectory", tmp.resolve("target/maven-status/nnc").toFile());
        set(mojo, "pluginVersion", "1");
        mojo.execute();
        assertTrue(Files.isRegularFile(testOut.resolve("org/tests/T.java")));
        assertEquals(List.of(testOut.toString()), p.getTestCompileSourceRoots());
        assertEquals(List.of(), p.getCompileSourceRoots());
    }

    @Test void aJavaOlderThan21IsRefusedWithAClearMessage() {
        assertNull(AbstractGenerateMojo.javaTooOld("21"));
        assertNull(AbstractGenerateMojo.javaTooOld("25"));
        assertTrue(AbstractGenerateMojo.javaTooOld("17").startsWith("nnc-maven-plugin needs Java 21 or newer, but this Maven runs on Java 17 ("));
        assertTrue(AbstractGenerateMojo.javaTooOld("1.8").contains("runs on Java 1.8"));
    }
}
