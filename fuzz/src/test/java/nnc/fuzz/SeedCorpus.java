package nnc.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.Tensor;
import nnc.runtime.train.Checkpoint;
import nnc.runtime.train.EpochStats;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.Trainer;

/**
 * Writes the generated part of the committed seed corpus with nnc's own writers: small
 * safetensors files, IDX and CSV files, and training checkpoints. Run it from the repository root
 * after a change to a writer's format, and commit what changed:
 * <pre>
 * mvn -q -pl fuzz -am test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -cp "fuzz/target/test-classes:$(cat fuzz/target/classpath)" nnc.fuzz.SeedCorpus
 * </pre>
 * {@link SeedCorpusTest} checks that every {@code valid-*} seed is still accepted.
 */
public final class SeedCorpus {
    static final Path ROOT = Path.of("fuzz/src/test/resources/nnc/fuzz");

    private SeedCorpus() {}

    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : ROOT;
        safetensors(root.resolve("SafeTensorsFuzzTestInputs/read"));
        idx(root.resolve("IdxFuzzTestInputs"));
        csv(root.resolve("CsvFuzzTestInputs"));
        checkpoints(root.resolve("CheckpointFuzzTestInputs/resume"));
    }

    static void safetensors(Path dir) throws IOException {
        Files.createDirectories(dir);
        SafeTensors.write(dir.resolve("valid-f32-i32-metadata.safetensors"), List.of(
                Tensor.f32("h.W", new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 6}),
                Tensor.f32("h.b", new long[] {3}, new float[] {0.5f, 0.25f, 0.125f}),
                Tensor.i32("step", new long[] {}, new int[] {42})), Map.of("nnc.model", "Tiny", "note", "a \"quoted\" value"));
        SafeTensors.write(dir.resolve("valid-empty-shapes.safetensors"), List.of(
                Tensor.f32("none", new long[] {0, 3}, new float[0]),
                Tensor.f32("scalar", new long[] {}, new float[] {7})));
        SafeTensors.write(dir.resolve("valid-no-tensors.safetensors"), List.of());
    }

    static void idx(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("valid-images-2x2x2"), IdxFuzzTest.TWO_IMAGES);
        Files.write(dir.resolve("valid-images-2x2x2.gz"), IdxFuzzTest.gzip(IdxFuzzTest.TWO_IMAGES));
        Files.write(dir.resolve("valid-labels-2"), IdxFuzzTest.TWO_LABELS);
        Files.write(dir.resolve("valid-labels-2.gz"), IdxFuzzTest.gzip(IdxFuzzTest.TWO_LABELS));
        byte[] image = new byte[4 + 12 + 28 * 28];
        image[2] = 8;
        image[3] = 3;
        image[7] = 1;
        image[11] = 28;
        image[15] = 28;
        for (int i = 16; i < image.length; i++) image[i] = (byte) (i * 7);
        Files.write(dir.resolve("valid-image-28x28"), image);
    }

    static void csv(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir.resolve("valid-housing.csv"), "size,price\n0.6434,0.5759\n1.0417,0.8582\n1.8349,2.1290\n2.8028,3.9524\n");
        write(dir.resolve("valid-classes-quoted.csv"), "\uFEFF\"a, b\",c,label\n1,\"2\",0\n\n-3.5e2, 4 ,1\n0,0,2\n");
        write(dir.resolve("valid-no-header.csv"), "1,2,3\n4,5,6\r\n7,8,9\n");
        Files.write(dir.resolve("valid-housing.csv.gz"), IdxFuzzTest.gzip(
                "size,price\n0.5,1\n1.5,2\n".getBytes(StandardCharsets.UTF_8)));
    }

    /** Checkpoints of {@link CheckpointFuzzTest#MODEL}: mid-epoch (step 1 of 2) and after epochs 1 and 2. */
    static void checkpoints(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path run = Files.createTempDirectory("nnc-seed-run");
        Path last = Checkpoint.file(run);
        Trainer.fit(CheckpointFuzzTest.model(), CheckpointFuzzTest.data(), CheckpointFuzzTest.data(),
                CheckpointFuzzTest.options(2).withCheckpoints(run, 1), new TrainListener() {
                    @Override public void epochEnd(EpochStats stats) {
                        copy(last, dir.resolve("valid-after-epoch-" + stats.epoch() + ".safetensors"));
                    }

                    @Override public void stepEnd(int epoch, int step, int stepsPerEpoch, float loss) {
                        if (epoch == 1 && step == 2) copy(last, dir.resolve("valid-mid-epoch-1.safetensors"));
                    }
                });
        Files.deleteIfExists(last);
        Files.delete(run);
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
