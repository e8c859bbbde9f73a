package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import nnc.driver.Backend;
import nnc.driver.FrontEnd;
import nnc.driver.TrainerSources;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Maven plugin's trainers ({@link TrainerSources}, what {@code nnc-maven-plugin} writes) are
 * byte for byte what {@code nnc compile --emit java} writes, for every sample: an embedded trainer is
 * the same code, memory plan included (it used to be scheduled without the plan, up to twice the memory).
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
        TrainerSources.Generated plugin = TrainerSources.java(FrontEnd.load(FrontEnd.read(sample), null), Backend.GENERATED_PACKAGE);
        Path written = out.resolve("nnc/generated").resolve(plugin.simpleName() + ".java");
        assertEquals(Files.readString(written), plugin.source(), sample.getFileName().toString());
    }
}
