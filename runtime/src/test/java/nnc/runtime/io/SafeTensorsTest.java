package nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing valid files; {@link SafeTensorsCorruptionTest} has the broken ones. */
class SafeTensorsTest {
    @TempDir Path tmp;

    /** The bytes of a file: header length, the given JSON header as is, then the data. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    static byte[] le(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) b.putInt(w);
        return b.array();
    }

    @Test
    void writesExactlyTheBytesOfTheFormat() {
        byte[] bytes = SafeTensors.encode(List.of(
                Tensor.i32("b", new long[0], new int[] {7}),
                Tensor.f32("a", new long[] {2}, new float[] {1f, -2f})), Map.of("format", "pt"));
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[8,12]}}      "; // 138 bytes + 6 spaces = 144
        byte[] expected = concat(HexFormat.of().parseHex("9000000000000000"), header.getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().parseHex("0000803f" + "000000c0" + "07000000"));
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(bytes));
    }

    /** The hex is what Python's safetensors 0.8.0 wrote for the same tensors ({@code safetensors.numpy.save}). */
    @Test
    void writesWhatThePythonLibraryWrites() {
        byte[] bytes = SafeTensors.encode(List.of(
                Tensor.i32("a", new long[] {2}, new int[] {7, -1}),
                Tensor.f32("b", new long[] {2}, new float[] {1f, -2f}),
                Tensor.f32("c", new long[0], new float[] {0.5f})), Map.of("format", "pt"));
        String python = "c8000000000000007b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074227d2c2262223a7b2264"
                + "74797065223a22463332222c227368617065223a5b325d2c22646174615f6f666673657473223a5b302c385d7d2c2263223a7b"
                + "226474797065223a22463332222c227368617065223a5b5d2c22646174615f6f666673657473223a5b382c31325d7d2c226122"
                + "3a7b226474797065223a22493332222c227368617065223a5b325d2c22646174615f6f666673657473223a5b31322c32305d7d"
                + "7d202020202020200000803f000000c00000003f07000000ffffffff";
        assertEquals(python, HexFormat.of().formatHex(bytes));
        TensorFile back = SafeTensors.decode(HexFormat.of().parseHex(python), "python");
        assertEquals(List.of("b", "c", "a"), List.copyOf(back.tensors().keySet()));
        assertArrayEquals(new int[] {7, -1}, back.tensors().get("a").i32());
    }

    @Test
    void withoutMetadataTheHeaderHasNoMetadataEntry() {
        byte[] bytes = SafeTensors.encode(List.of(Tensor.f32("x", new long[] {1}, new float[] {0.5f})), Map.of());
        String header = new String(bytes, 8, bytes.length - 12, StandardCharsets.UTF_8);
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header.stripTrailing());
        assertEquals(0, (bytes.length - 12 - 8) % 8, "header padded to a multiple of 8");
    }

    @Test
    void roundTripsThroughAFile() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] big = new float[40_000]; // more than one write chunk
        for (int i = 0; i < big.length; i++) big[i] = (float) rnd.nextGaussian();
        List<Tensor> tensors = List.of(
                Tensor.f32("h1.W", new long[] {2, 3}, new float[] {1, 2, 3, -4, Float.MIN_VALUE, Float.NaN}),
                Tensor.f32("big", new long[] {200, 200}, big),
                Tensor.i32("labels", new long[] {4}, new int[] {0, Integer.MAX_VALUE, Integer.MIN_VALUE, 9}),
                Tensor.f32("loss", new long[0], new float[] {0.25f}),
                Tensor.f32("empty", new long[] {0, 5}, new float[0]),
                Tensor.f32("odd \"name\" é\n", new long[] {1, 1, 1}, new float[] {Float.NEGATIVE_INFINITY}));
        Map<String, String> metadata = Map.of("format", "pt", "note", "tab\there");
        Path f = tmp.resolve("t.safetensors");
        SafeTensors.write(f, tensors, metadata);
        TensorFile back = SafeTensors.read(f);
        assertEquals(f.toString(), back.origin());
        assertEquals(metadata, back.metadata());
        assertEquals(tensors.size(), back.tensors().size());
        for (Tensor t : tensors) assertEquals(t, back.tensors().get(t.name()), t.name());
        assertEquals(List.of("big", "empty", "h1.W", "loss", "odd \"name\" é\n", "labels"), List.copyOf(back.tensors().keySet()),
                "F32 then I32, each sorted by name; data in that order");
    }

    @Test
    void writingReplacesAFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("g.safetensors");
        Files.writeString(f, "old contents");
        SafeTensors.write(f, List.of(Tensor.f32("w", new long[] {1}, new float[] {3f})));
        assertEquals(3f, SafeTensors.read(f).tensors().get("w").f32()[0]);
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void writingIntoAMissingDirectoryNamesTheFile() {
        Path f = tmp.resolve("no/such/dir/g.safetensors");
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.write(f, List.of()));
        assertTrue(e.getMessage().startsWith(f + ": cannot write the file"), e.getMessage());
    }

    @Test
    void writingRefusesDuplicateAndReservedNames() {
        Tensor a = Tensor.f32("a", new long[0], new float[] {1});
        assertThrows(SafeTensorsException.class, () -> SafeTensors.encode(List.of(a, a), Map.of()));
        assertThrows(SafeTensorsException.class, () -> SafeTensors.encode(List.of(a.withName("__metadata__")), Map.of()));
    }

    @Test
    void emptyFileOfNoTensorsRoundTrips() {
        byte[] bytes = SafeTensors.encode(List.of(), Map.of());
        assertEquals("0800000000000000" + "7b7d202020202020", HexFormat.of().formatHex(bytes));
        assertTrue(SafeTensors.decode(bytes, "e").tensors().isEmpty());
    }

    @Test
    void readsI64AsIntAndF64AsFloat() {
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        data.putLong(3).putLong(-1).putDouble(0.1).putDouble(-2.5);
        byte[] bytes = file("{\"y\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"v\":{\"dtype\":\"F64\",\"shape\":[2,1],\"data_offsets\":[16,32]}}", data.array());
        TensorFile f = SafeTensors.decode(bytes, "mixed");
        Tensor y = f.tensors().get("y"), v = f.tensors().get("v");
        assertEquals(Tensor.I32, y.dtype());
        assertArrayEquals(new int[] {3, -1}, y.i32());
        assertEquals(Tensor.F32, v.dtype());
        assertArrayEquals(new long[] {2, 1}, v.shape());
        assertArrayEquals(new float[] {0.1f, -2.5f}, v.f32());
    }

    @Test
    void headerMayListTensorsInAnyOrderAndUseWhitespace() {
        byte[] bytes = file("{ \"b\" : {\"shape\": [1], \"data_offsets\": [4, 8], \"dtype\": \"I32\"},\n"
                + "  \"a\" : {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]} }\n  ", le(Float.floatToIntBits(1.5f), 42));
        TensorFile f = SafeTensors.decode(bytes, "x");
        assertEquals(List.of("a", "b"), List.copyOf(f.tensors().keySet()), "in data order");
        assertEquals(1.5f, f.tensors().get("a").f32()[0]);
        assertEquals(42, f.tensors().get("b").i32()[0]);
        assertTrue(f.metadata().isEmpty());
    }

    @Test
    void tensorRecordChecksItsData() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.f32("w", new long[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("w", "F16", new long[] {1}, new float[1], null));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("w", Tensor.F32, new long[] {1}, new float[1], new int[1]));
        Tensor t = Tensor.f32("w", new long[] {2, 3}, new float[6]);
        assertEquals("[2, 3]", t.shapeText());
        assertEquals(6, t.elementCount());
        assertFalse(t.equals(t.withName("v")));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }
}
