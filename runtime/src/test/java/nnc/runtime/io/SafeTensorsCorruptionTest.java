package nnc.runtime.io;

import static nnc.runtime.io.SafeTensorsTest.file;
import static nnc.runtime.io.SafeTensorsTest.le;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a file can be broken gives a {@link SafeTensorsException} that names the file and the problem. */
class SafeTensorsCorruptionTest {
    @TempDir Path tmp;

    static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    static String problem(byte[] bytes) {
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.decode(bytes, "p.safetensors"));
        assertEquals("p.safetensors", e.file());
        String prefix = "p.safetensors: ";
        assertEquals(prefix, e.getMessage().substring(0, prefix.length()));
        return e.getMessage().substring(prefix.length());
    }

    @Test
    void tooShortForTheHeaderLength() {
        assertEquals("truncated: 5 bytes, too short for the 8-byte header length", problem(new byte[5]));
        assertEquals("truncated: 0 bytes, too short for the 8-byte header length", problem(new byte[0]));
    }

    @Test
    void headerLengthBeyondTheFile() {
        byte[] good = file("{" + A + "}", new byte[8]);
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, good.length);
        assertEquals("header length " + good.length + " goes beyond the end of the file (" + good.length
                + " bytes); the file is truncated or not a safetensors file", problem(good));
        ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertEquals("header length 18446744073709551615 goes beyond the end of the file (" + good.length
                + " bytes); the file is truncated or not a safetensors file", problem(good));
    }

    @Test
    void fileCutInTheDataSection() {
        byte[] good = SafeTensors.encode(List.of(Tensor.f32("a", new long[] {2}, new float[] {1, 2})), Map.of());
        assertEquals("tensor a: data_offsets [0, 8] go beyond the data section (5 bytes)", problem(Arrays.copyOf(good, good.length - 3)));
    }

    @Test
    void fileCutInTheHeader() {
        byte[] good = SafeTensors.encode(List.of(Tensor.f32("a", new long[] {2}, new float[] {1, 2})), Map.of());
        assertEquals("header length 56 goes beyond the end of the file (40 bytes); the file is truncated or not a safetensors file",
                problem(Arrays.copyOf(good, 40)));
    }

    @Test
    void headerNotUtf8() {
        byte[] bytes = file("{\"a\":1}", new byte[0]);
        bytes[10] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertEquals("the header is not valid UTF-8", problem(bytes));
    }

    @Test
    void headerNotJson() {
        assertEquals("the header is not valid JSON: unexpected '}', expected a string key at offset 54", problem(file("{" + A + ",}", new byte[8])));
        assertEquals("the header is not valid JSON: duplicate key \"a\" at offset 54", problem(file("{" + A + "," + A + "}", new byte[16])));
        assertEquals("the header is not a JSON object", problem(file("[1, 2]", new byte[0])));
    }

    @Test
    void malformedEntries() {
        assertEquals("tensor a: the header entry is not a JSON object", problem(file("{\"a\":[0,8]}", new byte[8])));
        assertEquals("tensor a: the header entry has no \"shape\"", problem(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("tensor a: unknown header field \"strides\"",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"strides\":[1],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("tensor a: dtype F16 is not supported (nnc reads F32, F64, I32 and I64)",
                problem(file("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4])));
        assertEquals("tensor a: dtype is not a string", problem(file("{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("tensor a: shape holds -2, not a non-negative integer",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("tensor a: shape holds 2.0, not a non-negative integer",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("tensor a: data_offsets must have 2 entries, has 3",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", new byte[8])));
        assertEquals("tensor a: shape [4294967296, 4294967296] has more elements than one Java array holds (2,147,483,639)",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", new byte[8])));
    }

    @Test
    void offsetsOutOfRange() {
        assertEquals("tensor a: data_offsets [8, 0] end before they begin",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", new byte[8])));
        assertEquals("tensor a: data_offsets [0, 12] go beyond the data section (8 bytes)",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", new byte[8])));
    }

    @Test
    void sizeNotMatchingShapeAndDtype() {
        assertEquals("tensor a: data_offsets [0, 8] hold 8 bytes, shape [3] of F32 needs 12",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8])));
        assertEquals("tensor a: data_offsets [0, 8] hold 8 bytes, shape [2] of I64 needs 16",
                problem(file("{\"a\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8])));
    }

    @Test
    void overlappingTensors() {
        assertEquals("tensors a and b overlap: data_offsets [0, 8] and [4, 12]",
                problem(file("{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12])));
        assertEquals("tensors a and b overlap: data_offsets [0, 8] and [0, 8]",
                problem(file("{" + A + ",\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8])));
    }

    @Test
    void holesAndLeftoverBytes() {
        assertEquals("bytes [8, 12) of the data section belong to no tensor",
                problem(file("{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", new byte[16])));
        assertEquals("bytes [0, 4) of the data section belong to no tensor",
                problem(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8])));
        assertEquals("the data section has 12 bytes but its tensors use 8 (extra bytes at the end)", problem(file("{" + A + "}", new byte[12])));
    }

    @Test
    void valuesThatDoNotFitTheirNarrowerType() {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(1L << 31);
        assertEquals("tensor y: value 2147483648 at index 1 does not fit in 32 bits (i32)",
                problem(file("{\"y\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", data.array())));
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(1e300);
        assertEquals("tensor v: value 1.0E300 at index 0 is beyond the range of f32",
                problem(file("{\"v\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}", d.array())));
    }

    @Test
    void badMetadata() {
        assertEquals("__metadata__ value of \"n\" is not a string", problem(file("{\"__metadata__\":{\"n\":1}," + A + "}", le(0, 0))));
        assertEquals("__metadata__ is not a JSON object", problem(file("{\"__metadata__\":\"x\"," + A + "}", le(0, 0))));
    }

    @Test
    void missingOrUnreadableFiles() throws IOException {
        Path missing = tmp.resolve("nope.safetensors");
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        Path dir = Files.createDirectory(tmp.resolve("dir.safetensors"));
        var d = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(dir));
        assertEquals(dir.toString(), d.file());
    }

    @Test
    void notASafetensorsFileAtAll() throws IOException {
        Path f = tmp.resolve("model.nn");
        Files.writeString(f, "model M { input x: f32[batch, 2] }\n");
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertEquals(f + ": header length 2327552232350052205 is over the limit of 100,000,000 bytes for a safetensors header; "
                + "the file is corrupt or not a safetensors file", e.getMessage());
    }
}
