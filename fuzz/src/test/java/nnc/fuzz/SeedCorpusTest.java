package nnc.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.io.FeatureFile;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed seeds named {@code valid-*} are accepted by their readers, so fuzzing starts from
 * inputs that reach past the first check (a seed the reader refuses would only test its refusals).
 */
class SeedCorpusTest {
    private static final Path ROOT = Path.of("src/test/resources/nnc/fuzz");

    @TempDir Path tmp;

    static List<Path> valid(String dir) throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
            List<Path> out = files.filter(p -> p.getFileName().toString().startsWith("valid-")).sorted().toList();
            assertTrue(out.size() >= 3, dir + " holds valid seeds: " + out);
            return out;
        }
    }

    @Test
    void safetensorsSeedsRead() throws IOException {
        for (Path p : valid("SafeTensorsFuzzTestInputs")) SafeTensors.read(p);
        assertEquals(3, SafeTensors.read(ROOT.resolve("SafeTensorsFuzzTestInputs/read/valid-f32-i32-metadata.safetensors")).tensors().size());
    }

    @Test
    void idxSeedsRead() throws IOException {
        Path dir = ROOT.resolve("IdxFuzzTestInputs");
        Dataset d = Datasets.load(new DataSpec("idx", List.of(dir.resolve("valid-images-2x2x2.gz").toString(),
                dir.resolve("valid-labels-2").toString()), Map.of(), "seed"), null, 1);
        assertEquals(2, d.rows());
        for (Path p : valid("IdxFuzzTestInputs")) {
            if (p.getFileName().toString().contains("labels")) continue;
            Path copy = Files.copy(p, tmp.resolve(p.getFileName() + ".idx"));
            assertTrue(FeatureFile.read(copy, 1).rows() >= 1, p.toString());
        }
    }

    @Test
    void csvSeedsRead() throws IOException {
        for (Path p : valid("CsvFuzzTestInputs")) {
            Dataset d = Datasets.load(new DataSpec("csv", List.of(p.toString()), Map.of(), "seed"), null, 1);
            assertTrue(d.rows() >= 2, p.toString());
        }
    }

    @Test
    void checkpointSeedsResume() throws IOException {
        for (Path p : valid("CheckpointFuzzTestInputs")) {
            Path dir = Files.createDirectories(tmp.resolve(p.getFileName().toString()));
            Files.copy(p, dir.resolve("last.safetensors"));
            TrainResult r = Trainer.fit(CheckpointFuzzTest.model(), CheckpointFuzzTest.data(), CheckpointFuzzTest.data(),
                    CheckpointFuzzTest.options(3).withResume(dir), TrainListener.NONE);
            assertEquals(6, r.steps(), p + ": the run goes on to 3 epochs of 2 steps");
        }
    }
}
