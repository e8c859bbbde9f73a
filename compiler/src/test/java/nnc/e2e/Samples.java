package nnc.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import nnc.check.TrainConfig;
import nnc.driver.FrontEnd;
import nnc.driver.TrainStepBuilder;

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

    static FrontEnd.Loaded load(String name) { return FrontEnd.load(FrontEnd.read(file(name)), null); }

    static TrainStepBuilder.Stages stages(String name) {
        var loaded = load(name);
        TrainConfig cfg = loaded.model().train();
        return TrainStepBuilder.build(loaded.model(), cfg);
    }
}
