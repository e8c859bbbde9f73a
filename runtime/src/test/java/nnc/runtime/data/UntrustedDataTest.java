package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import nnc.runtime.LimitException;
import nnc.runtime.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes and values from data files are not trusted: the fuzzer's probes, each through a file of a
 * few bytes. A small memory limit shows that nothing was allocated for what a header claims.
 */
class UntrustedDataTest {
    @TempDir Path dir;

    @AfterEach void restore() { Limits.setMaxMemory(Limits.defaultMaxMemory()); }

    private Path file(String name, byte[] content) throws IOException { return Files.write(dir.resolve(name), content); }

    private Path text(String name, String content) throws IOException { return Files.writeString(dir.resolve(name), content); }

    private static Dataset load(String kind, List<Object> args, Map<String, Object> options, Path base) {
        return Datasets.load(new DataSpec(kind, args, options, "m.nn:9:8"), base, 0);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var g = new GZIPOutputStream(out)) { g.write(b); }
        return out.toByteArray();
    }

    @Test
    void anIdxHeaderClaimingGigabytesIsRejectedBeforeAllocating() throws IOException {
        file("big.idx", IdxReaderTest.idx(0x08, new int[] {1, 46340, 46340}, new byte[0])); // 16 bytes
        file("lab.idx", IdxReaderTest.idx(0x08, new int[] {1}, new byte[] {0}));
        Limits.setMaxMemory(2L << 30);
        var e = assertThrows(LimitException.class, () -> load("idx", List.of("big.idx", "lab.idx"), Map.of(), dir));
        assertEquals("m.nn:9:8: idx: " + dir.resolve("big.idx") + ": the header declares [1, 46340, 46340] = 2,147,395,600 values (8.0 GiB),"
                + " over the memory limit of 2.0 GiB (--max-memory)", e.getMessage());
        file("many.idx", IdxReaderTest.idx(0x08, new int[] {1_000_000_000}, new byte[0]));
        file("one.idx", IdxReaderTest.idx(0x08, new int[] {1, 1, 1}, new byte[] {7}));
        Limits.setMaxMemory(1 << 20);
        e = assertThrows(LimitException.class, () -> load("idx", List.of("one.idx", "many.idx"), Map.of(), dir));
        assertTrue(e.getMessage().contains("many.idx: the header declares [1000000000] = 1,000,000,000 values (3.7 GiB)"), e.getMessage());
    }

    @Test
    void anIdxHeaderUnderTheLimitCostsOnlyWhatTheFileHolds() throws IOException {
        file("img.idx", IdxReaderTest.idx(0x08, new int[] {1, 5000, 5000}, new byte[100])); // claims 25 M values = 100 MB
        file("lab.idx", IdxReaderTest.idx(0x08, new int[] {1}, new byte[] {0}));
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        var e = assertThrows(DataException.class, () -> load("idx", List.of("img.idx", "lab.idx"), Map.of(), dir));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().endsWith("is shorter than its header declares: [1,5000,5000] needs 25000000 bytes of data, the file holds 100"),
                e.getMessage());
        assertTrue(allocated < 20_000_000, "allocated " + allocated + " bytes for a 116-byte file");
    }

    @Test
    void aGzipWithABadCrcIsAnError() throws IOException {
        byte[] good = gzip(IdxReaderTest.idx(0x08, new int[] {2, 1, 1}, new byte[] {1, 2}));
        byte[] bad = good.clone();
        bad[bad.length - 8] ^= 0x55; // the CRC-32 of the trailer
        file("img.gz", bad);
        file("lab.gz", gzip(IdxReaderTest.idx(0x08, new int[] {2}, new byte[] {0, 1})));
        var e = assertThrows(DataException.class, () -> load("idx", List.of("img.gz", "lab.gz"), Map.of(), dir));
        assertEquals("m.nn:9:8: idx: " + dir.resolve("img.gz") + " is not valid gzip data: Corrupt GZIP trailer", e.getMessage());
        file("img.gz", good);
        assertEquals(2, load("idx", List.of("img.gz", "lab.gz"), Map.of(), dir).rows());
        byte[] csv = gzip("a,y\n1,0\n2,1\n".getBytes(StandardCharsets.UTF_8));
        csv[csv.length - 8] ^= 0x55;
        file("d.csv.gz", csv);
        e = assertThrows(DataException.class, () -> load("csv", List.of("d.csv.gz"), Map.of(), dir));
        assertEquals("m.nn:9:8: csv: " + dir.resolve("d.csv.gz") + " is not valid gzip data: Corrupt GZIP trailer", e.getMessage());
    }

    @Test
    void idxDataPastWhatTheHeaderDeclaresIsAnError() throws IOException {
        file("img.idx", IdxReaderTest.idx(0x08, new int[] {2, 1, 1}, new byte[] {1, 2, 3}));
        file("lab.idx", IdxReaderTest.idx(0x08, new int[] {2}, new byte[] {0, 1}));
        var e = assertThrows(DataException.class, () -> load("idx", List.of("img.idx", "lab.idx"), Map.of(), dir));
        assertEquals("m.nn:9:8: idx: " + dir.resolve("img.idx") + ": byte 18: the file goes on after the 2 values its header [2,1,1] declares",
                e.getMessage());
    }

    @Test
    void nonFiniteFeaturesNameRowAndColumnUnlessAllowed() throws IOException {
        text("d.csv", "a,b,y\n1,2,0\n3,NaN,1\n-inf,1e39,1\n");
        var e = assertThrows(DataException.class, () -> load("csv", List.of("d.csv"), Map.of(), dir));
        assertEquals("m.nn:9:8: csv: " + dir.resolve("d.csv") + ": row 2, column 2 ('b'): NaN is not a finite number"
                + " (allow_nonfinite = true in the data source lets NaN and infinities through)", e.getMessage());
        Dataset d = load("csv", List.of("d.csv"), Map.of(Datasets.ALLOW_NONFINITE, "true"), dir);
        assertArrayEquals(new float[] {1, 2, 3, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, d.x());
        text("l.csv", "a,y\n1,0\n2,NaN\n");
        e = assertThrows(DataException.class, () -> load("csv", List.of("l.csv"), Map.of(Datasets.ALLOW_NONFINITE, "true"), dir));
        assertEquals("m.nn:9:8: csv: " + dir.resolve("l.csv") + ": row 2, column 2 ('y'): NaN is not a finite number; labels must be",
                e.getMessage());
        text("o.csv", "a,y\n1e39,0\n");
        e = assertThrows(DataException.class, () -> load("csv", List.of("o.csv"), Map.of(), dir));
        assertTrue(e.getMessage().contains(": row 1, column 1 ('a'): 1e39 (Infinity in f32) is not a finite number"), e.getMessage());
    }

    @Test
    void aCsvGrowsOnlyWithinTheLimit() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 600; i++) sb.append(i).append(",1,0\n");
        text("d.csv", sb.toString());
        Limits.setMaxMemory(4096);
        var e = assertThrows(LimitException.class, () -> load("csv", List.of("d.csv"), Map.of(), dir));
        assertEquals("m.nn:9:8: csv: " + dir.resolve("d.csv") + ": row 513: 513 rows of 2 values make 1,026 values (4.0 KiB),"
                + " over the memory limit of 4.0 KiB (--max-memory)", e.getMessage());
    }

    @Test
    void aFileWithoutLineBreaksStopsAtTheLineLimit() {
        var e = assertThrows(DataException.class, () -> load("csv", List.of("/dev/zero"), Map.of(), null));
        assertEquals("m.nn:9:8: csv: /dev/zero:1: the line is longer than 16,777,216 characters, the limit for one line;"
                + " is it really a CSV file?", e.getMessage());
    }

    @Test
    void aNulInAFileNameIsADataError() {
        var e = assertThrows(DataException.class, () -> load("csv", List.of("a\0b.csv"), Map.of(), dir));
        assertEquals("m.nn:9:8: csv: 'a\\0b.csv' is not a possible file name (it holds a NUL character at position 2)", e.getMessage());
    }

    @Test
    void syntheticSizesAreBounded() {
        var e = assertThrows(LimitException.class, () -> load("circles", List.of(), Map.of("n", 2e9), null));
        assertEquals("m.nn:9:8: circles: n = 2000000000 rows of 2 features make 4,000,000,000 values, more than one Java array holds"
                + " (2,147,483,639)", e.getMessage());
        Limits.setMaxMemory(1 << 20);
        e = assertThrows(LimitException.class, () -> load("sequence", List.of(), Map.of("n", 10.0, "vocab", 1e9), null));
        assertTrue(e.getMessage().startsWith("m.nn:9:8: sequence: vocab = 1000000000 makes 1,000,000,000 values (3.7 GiB)"), e.getMessage());
    }

    @Test
    void predictionInputsAreRecognisedByContentAndCheckedAsTrainingData() throws IOException {
        Path idx = file("X.csv", IdxReaderTest.idx(0x08, new int[] {2, 3}, new byte[] {1, 2, 3, 4, 5, 6})); // an IDX named .csv
        UnlabelledData x = UnlabelledData.read(idx, false);
        assertEquals(2, x.rows());
        assertArrayEquals(new int[] {3}, x.featureShape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, x.x());
        Path negative = file("n.idx", IdxReaderTest.idx(0x08, new int[] {-2, -1}, new byte[0]));
        var e = assertThrows(DataException.class, () -> UnlabelledData.read(negative, false));
        assertEquals(negative + ": dimension 0 has an impossible size 4294967294 (-2 as a signed 32-bit size; IDX sizes are at most 2,147,483,647)",
                e.getMessage());
        Path nan = text("nan.csv", "p,q\n1,2\nNaN,3\n");
        e = assertThrows(DataException.class, () -> UnlabelledData.read(nan, false));
        assertEquals(nan + ": row 2, column 1 ('p'): NaN is not a finite number (allow_nonfinite = true in the data source lets NaN and"
                + " infinities through)", e.getMessage());
        assertTrue(Float.isNaN(UnlabelledData.read(nan, true).x()[2]));
        Path noHeader = text("plain", "1,2\n3,4\n");
        assertArrayEquals(new float[] {1, 2, 3, 4}, UnlabelledData.read(noHeader, false).x());
        Path big = file("big", IdxReaderTest.idx(0x08, new int[] {1, 46340, 46340}, new byte[0]));
        Limits.setMaxMemory(1 << 20);
        e = assertThrows(LimitException.class, () -> UnlabelledData.read(big, false));
        assertEquals(big + ": the header declares [1, 46340, 46340] = 2,147,395,600 values (8.0 GiB), over the memory limit of 1.0 MiB"
                + " (--max-memory)", e.getMessage());
    }

    @Test
    void csvLabelsFromTheFileKeepTheirOrigin() throws IOException {
        Path f = text("d.csv", "a,y\n1,0\n2,2\n");
        assertEquals(f.toString(), load("csv", List.of("d.csv"), Map.of(), dir).labelOrigin());
    }
}
