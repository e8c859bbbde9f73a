package nnc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import nnc.cli.Main;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The goal as Maven runs it, over every sample: each trainer it writes is byte for byte what
 * {@code nnc compile FILE --emit java} writes, and the project gets the output folder as a source root.
 */
class GenerateMojoTest {
    @TempDir Path tmp;

    static Path samples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve("samples/playground.nn"))) return p.resolve("samples");
        throw new IllegalStateException("samples/ not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void everySampleGetsTheTrainerNncCompileWrites() throws Exception {
        List<Path> models;
        try (Stream<Path> files = Files.list(samples())) {
            models = files.filter(p -> p.toString().endsWith(".nn")).sorted().toList();
        }
        assertFalse(models.isEmpty());
        Path src = Files.createDirectory(tmp.resolve("nn")), out = tmp.resolve("generated"), cli = tmp.resolve("cli");
        for (Path m : models) Files.copy(m, src.resolve(m.getFileName()));

        MavenProject project = new MavenProject();
        GenerateMojo mojo = new GenerateMojo();
        set(mojo, "sourceDirectory", src.toFile());
        set(mojo, "outputDirectory", out.toFile());
        set(mojo, "packageName", "nnc.generated");
        set(mojo, "project", project);
        set(mojo, "statusDirectory", tmp.resolve("status").toFile());
        set(mojo, "pluginVersion", "test");
        mojo.execute();
        assertEquals(List.of(out.toString()), project.getCompileSourceRoots());

        for (Path m : models) {
            StringWriter o = new StringWriter(), e = new StringWriter();
            int code = Main.run(new String[] {"compile", m.toString(), "--emit", "java", "-o", cli.toString()}, new PrintWriter(o, true), new PrintWriter(e, true));
            assertEquals(0, code, m + ": " + o + e);
        }
        List<Path> written = javaFiles(cli);
        assertEquals(models.size(), written.size(), "one trainer per sample");
        assertEquals(written.stream().map(cli::relativize).toList(), javaFiles(out).stream().map(out::relativize).toList());
        for (Path w : written) {
            byte[] expected = Files.readAllBytes(w), actual = Files.readAllBytes(out.resolve(cli.relativize(w)));
            if (!Arrays.equals(expected, actual)) // a readable diff first
                assertEquals(new String(expected, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8), w.getFileName().toString());
            assertTrue(Arrays.equals(expected, actual), w.getFileName().toString());
        }
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** Sets a parameter as Maven does: the field of that name, in the goal's class or a superclass. */
    static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(field);
                f.setAccessible(true);
                f.set(target, value);
                return;
            } catch (NoSuchFieldException e) {
                // the next superclass
            }
        }
        throw new NoSuchFieldException(field);
    }
}
