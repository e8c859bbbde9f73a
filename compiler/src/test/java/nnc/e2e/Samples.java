package nnc.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.driver.Compilation;
import nnc.passes.SampleModules;

/** Test access to the repository's samples/ folder and their compiled stages. */
final class Samples {
    private Samples() {}

    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isDirectory(p.resolve("samples")) && Files.exists(p.resolve("samples/playground.nn"))) return p.resolve("samples");
        throw new IllegalStateException("samples/ not found above " + Path.of("").toAbsolutePath());
    }

    /** A sample, or a test model under {@code compiler/src/test/resources/models}. */
    static Path file(String name) {
        Path p = dir().resolve(name + ".nn");
        return Files.exists(p) ? p : dir().resolveSibling("compiler/src/test/resources/models").resolve(name + ".nn");
    }

    /** The compilation of sample (or test model) {@code name}, shared with every test of this JVM ({@link SampleModules#stagesOf}). */
    static Compilation stages(String name) { return SampleModules.stagesOf(file(name)); }
}
