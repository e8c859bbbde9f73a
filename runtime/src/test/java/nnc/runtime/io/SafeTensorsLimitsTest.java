package nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.runtime.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A safetensors file is read only as far as its header declares, after its sizes are checked against {@link Limits}. */
class SafeTensorsLimitsTest {
    @TempDir Path tmp;

    @AfterEach void restore() { Limits.setMaxMemory(Limits.defaultMaxMemory()); }

    private Path file(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        out.writeBytes(data);
        return Files.write(tmp.resolve("p.safetensors"), out.toByteArray());
    }

    @Test
    void anEndlessFileFailsAtOnce() {
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(Path.of("/dev/zero")));
        assertEquals("/dev/zero: the header is not valid JSON: unexpected end of input, expected a value at offset 0", e.getMessage());
    }

    @Test
    void aHeaderLengthOverTheFormatsLimitIsNotRead() throws IOException {
        Path f = Files.write(tmp.resolve("h.safetensors"), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000).array());
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertEquals(f + ": header length 200000000 is over the limit of 100,000,000 bytes for a safetensors header;"
                + " the file is corrupt or not a safetensors file", e.getMessage());
    }

    @Test
    void aHeaderOverTheMemoryLimitIsNotRead() throws IOException {
        Path f = Files.write(tmp.resolve("h.safetensors"), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(50_000_000).array());
        Limits.setMaxMemory(1 << 20);
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertEquals(f + ": the header length declares a header of 50,000,000 bytes (47.7 MiB), over the memory limit of 1.0 MiB (--max-memory)",
                e.getMessage());
    }

    @Test
    void tensorsOverTheMemoryLimitAreNotRead() throws IOException {
        Path f = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[250000000],\"data_offsets\":[0,1000000000]}}", new byte[16]);
        Limits.setMaxMemory(1 << 20);
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertEquals(f + ": the header declares 1,000,000,000 bytes of tensor data, so the file holds 1,000,000,079 bytes (953.7 MiB), over the memory limit of 1.0 MiB (--max-memory)",
                e.getMessage());
        Limits.setMaxMemory(Limits.defaultMaxMemory());
        e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f)); // under the limit: fails on the 16 bytes there are
        assertEquals(f + ": tensor w: data_offsets [0, 1000000000] go beyond the data section (16 bytes)", e.getMessage());
    }

    @Test
    void bytesAfterTheDeclaredDataAreAnError() throws IOException {
        Path f = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[12]);
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(f));
        assertEquals(f + ": the file goes on after the 4 bytes of data its header declares (it has 12)", e.getMessage());
        Path ok = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        assertEquals(List.of("w"), List.copyOf(SafeTensors.read(ok).tensors().keySet()));
    }
}
