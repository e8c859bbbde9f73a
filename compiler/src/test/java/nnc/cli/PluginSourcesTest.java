package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Maven plugin's trainers (what {@code nnc-maven-plugin} writes: {@link Compilation#javaSource}
 * of {@link Compilation#of(nnc.diag.SourceFile)}, as {@code nnc.maven.GenerateMojo} calls it) are
 * byte for byte what {@code nnc compile --emit java} writes, for every sample: an embedded trainer is
 * the same code, memory plan included.
 */
class PluginSourcesTest {
    static Stream<Path> samples() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("samples/playground.nn"))) dir = dir.getParent();
        return Files.list(dir.resolve("samples")).filter(p -> p.toString().endsWith(".nn")).sorted();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void thePluginWritesWhatNncCompileWrites(Path sample, @TempDir Path out) throws IOException {
        Run.Result r = Run.nnc("compile", sample, "--emit", "java", "-o", out);
        assertEquals(0, r.code(), r.toString());
        Compilation plugin = SampleModules.stagesOf(sample); // Compilation.of(Compilation.read(sample)), as the plugin calls it, shared with the other tests
        Path written = out.resolve("nnc/generated").resolve(plugin.className() + ".java");
        byte[] cli = Files.readAllBytes(written), embedded = plugin.javaSource(Backend.GENERATED_PACKAGE, true).getBytes(StandardCharsets.UTF_8);
        String name = sample.getFileName().toString();
        if (!Arrays.equals(cli, embedded)) assertEquals(new String(cli, StandardCharsets.UTF_8), new String(embedded, StandardCharsets.UTF_8), name); // a readable diff
        assertArrayEquals(cli, embedded, name);
    }
}
