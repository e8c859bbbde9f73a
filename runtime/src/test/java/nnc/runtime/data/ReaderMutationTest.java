package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import nnc.runtime.Limits;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.io.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutations of small valid files (bytes flipped, inserted, cut, sizes overwritten with
 * extremes): every reader either reads the file or throws its user-facing exception, never
 * anything else, under a 1 MiB memory limit.
 */
class ReaderMutationTest {
    @TempDir Path dir;

    @BeforeEach void smallLimit() { Limits.setMaxMemory(1 << 20); }

    @AfterEach void restore() { Limits.setMaxMemory(Limits.defaultMaxMemory()); }

    private static byte[] gzip(byte[] b) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var g = new GZIPOutputStream(out)) { g.write(b); }
        return out.toByteArray();
    }

    private static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) (r.nextBoolean() ? 0xff : 0x80);
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) r.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                default -> { for (int i = at; i < Math.min(b.length, at + 4); i++) b[i] = (byte) 0x7f; }
            }
        }
        return b;
    }

    private void run(String what, byte[] valid, int rounds, ThrowingRead read) throws IOException {
        SplittableRandom r = new SplittableRandom(what.hashCode());
        for (int i = 0; i < rounds; i++) {
            byte[] b = mutate(valid, r);
            Path f = Files.write(dir.resolve("f" + i), b);
            try {
                read.read(f);
            } catch (DataException | SafeTensorsException expected) {
                // a message for people: fine
            } catch (RuntimeException | OutOfMemoryError e) {
                fail(what + " mutation " + i + " (" + b.length + " bytes) threw " + e, e);
            }
        }
    }

    interface ThrowingRead { void read(Path f) throws IOException; }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void idxAndCsvReaders(boolean gz) throws IOException {
        byte[] img = IdxReaderTest.idx(0x08, new int[] {3, 2, 2}, new byte[12]);
        byte[] lab = IdxReaderTest.idx(0x08, new int[] {3}, new byte[] {0, 1, 2});
        Files.write(dir.resolve("lab"), lab);
        Files.write(dir.resolve("img"), img);
        run("idx images " + gz, gz ? gzip(img) : img, 400,
                f -> Datasets.load(new DataSpec("idx", List.of(f.toString(), "lab"), Map.of(), "m"), dir, 0));
        run("idx labels " + gz, gz ? gzip(lab) : lab, 400,
                f -> Datasets.load(new DataSpec("idx", List.of("img", f.toString()), Map.of(), "m"), dir, 0));
        byte[] csv = "a,b,y\n1.5,2,0\n\"3\",4e2,1\n-5,6,2\n".getBytes(StandardCharsets.UTF_8);
        run("csv " + gz, gz ? gzip(csv) : csv, 400,
                f -> Datasets.load(new DataSpec("csv", List.of(f.toString()), Map.of("label", "y"), "m"), dir, 0));
        run("unlabelled " + gz, gz ? gzip(img) : img, 400, f -> UnlabelledData.read(f, false));
    }

    @ParameterizedTest(name = "safetensors")
    @ValueSource(ints = {0})
    void safetensorsReader(int unused) throws IOException {
        Path valid = dir.resolve("valid.safetensors");
        SafeTensors.write(valid, List.of(Tensor.f32("h.W", new long[] {2, 3}, new float[6]), Tensor.i32("n", new long[] {2}, new int[] {1, 2})),
                Map.of("nnc.model", "M"));
        run("safetensors", Files.readAllBytes(valid), 1500, SafeTensors::read);
    }
}
