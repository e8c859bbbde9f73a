package nnc.runtime.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import nnc.runtime.Limits;

/**
 * Reads and writes the safetensors format (the one PyTorch's {@code safetensors} package writes):
 * an 8-byte little-endian unsigned header length {@code N}, {@code N} bytes of UTF-8 JSON
 * <pre>{"__metadata__":{"k":"v"},"h.W":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},...}</pre>
 * with offsets relative to the data section that follows, then the raw little-endian data.
 *
 * <p>Reading accepts F32, I32, I64 (narrowed to int, with a range check) and F64 (rounded to
 * float) and checks the file completely; any problem is a {@link SafeTensorsException} naming the
 * file. Writing produces F32 and I32 tensors as the Python library lays them out: tensors sorted
 * by name, compact JSON with {@code __metadata__} first (when there is any), padded with spaces
 * to a multiple of 8 bytes. Files are written as {@link OutputFile} writes them: to a temporary sibling, then
 * renamed over the target (symbolic links followed, devices and pipes written through).
 */
public final class SafeTensors {
    private static final int CHUNK = 1 << 16;

    private SafeTensors() {}

    /**
     * Reads and checks {@code file}. Only as many bytes as its header declares are read, after the
     * header's size and the data's size are checked against {@link Limits}: a corrupt header or an
     * endless file ({@code /dev/zero}) fails at once.
     */
    public static TensorFile read(Path file) {
        String origin = file.toString();
        byte[] bytes;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            bytes = readBounded(in, file, origin);
        } catch (NoSuchFileException e) {
            throw new SafeTensorsException(origin, "no such file", e);
        } catch (IOException e) {
            throw new SafeTensorsException(origin, "cannot read the file: " + IoReason.of(e, file), e);
        }
        return decode(bytes, origin);
    }

    /** The bytes {@link #decode} needs: the header length, the header and the data it declares (fewer when the file ends early). */
    private static byte[] readBounded(InputStream in, Path file, String origin) throws IOException {
        byte[] head = in.readNBytes(8);
        if (head.length < 8) return head;
        long n = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > Limits.MAX_SAFETENSORS_HEADER)
            throw new SafeTensorsException(origin, "header length " + Long.toUnsignedString(n) + " is over the limit of "
                    + Limits.count(Limits.MAX_SAFETENSORS_HEADER) + " bytes for a safetensors header; the file is corrupt or not a safetensors file");
        String headerProblem = Limits.bytesProblem(n);
        if (headerProblem != null) throw new SafeTensorsException(origin, "the header length declares a header of " + headerProblem);
        byte[] header = in.readNBytes((int) n);
        if (header.length < n) return concat(head, header, new byte[0]);
        long data = SafeTensorsReader.declaredDataLength(header, origin);
        String problem = Limits.bytesProblem(8 + n + data);
        if (problem != null)
            throw new SafeTensorsException(origin, "the header declares " + Limits.count(data) + " bytes of tensor data, so the file holds " + problem);
        byte[] body = in.readNBytes((int) data); // grows with the bytes read: a short file costs no more than its size
        if (body.length == data && in.read() >= 0) {
            long size = Files.isRegularFile(file) ? Files.size(file) : -1;
            throw new SafeTensorsException(origin, "the file goes on after the " + Limits.count(data) + " bytes of data its header declares"
                    + (size < 0 ? "" : " (it has " + Limits.count(size - 8 - n) + ")"));
        }
        return concat(head, header, body);
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + b.length + c.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    /** Decodes the bytes of a safetensors file; {@code origin} names it in messages. */
    public static TensorFile decode(byte[] bytes, String origin) {
        return SafeTensorsReader.decode(bytes, origin);
    }

    /** Writes {@code tensors} to {@code file} atomically, without metadata. */
    public static void write(Path file, Collection<Tensor> tensors) { write(file, tensors, Map.of()); }

    /** Writes {@code tensors} and {@code metadata} to {@code file} as {@link OutputFile} writes files (a temporary sibling, then a rename). */
    public static void write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) {
        String origin = file.toString();
        List<Tensor> sorted = inFileOrder(tensors, origin);
        byte[] header = header(sorted, metadata);
        try {
            OutputFile.write(file, out -> writeTo(Channels.newChannel(out), header, sorted));
        } catch (OutputFileException e) {
            throw new SafeTensorsException(origin, e.problem(), e);
        }
    }

    /** The size in bytes of the file {@link #write} would write. */
    public static long size(Collection<Tensor> tensors, Map<String, String> metadata) {
        List<Tensor> sorted = inFileOrder(tensors, "<size>");
        long bytes = header(sorted, metadata).length;
        for (Tensor t : sorted) bytes += 4L * t.elementCount();
        return bytes;
    }

    /** The bytes {@link #write} would put in a file. */
    public static byte[] encode(Collection<Tensor> tensors, Map<String, String> metadata) {
        List<Tensor> sorted = inFileOrder(tensors, "<encoded>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(Channels.newChannel(out), header(sorted, metadata), sorted);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** F32 before I32, each by name; refuses duplicate names and the reserved {@code __metadata__}. */
    private static List<Tensor> inFileOrder(Collection<Tensor> tensors, String origin) {
        List<Tensor> sorted = new ArrayList<>(tensors);
        Set<String> names = new HashSet<>();
        for (Tensor t : sorted) {
            if (t.name().equals(SafeTensorsReader.METADATA)) throw new SafeTensorsException(origin, "a tensor cannot be named " + t.name());
            if (!names.add(t.name())) throw new SafeTensorsException(origin, "two tensors are named " + t.name());
        }
        sorted.sort(Comparator.comparing((Tensor t) -> !t.isFloat()).thenComparing(Tensor::name));
        return sorted;
    }

    /** The length prefix and the JSON header, padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(List<Tensor> sorted, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(SafeTensorsReader.METADATA)).append(":{");
            String sep = "";
            for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                json.append(sep).append(quote(e.getKey())).append(':').append(quote(e.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Tensor t : sorted) {
            if (json.length() > 1) json.append(',');
            long bytes = 4L * t.elementCount();
            json.append(quote(t.name())).append(":{\"dtype\":").append(quote(t.dtype())).append(",\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) json.append(i == 0 ? "" : ",").append(shape[i]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(text);
        while (out.hasRemaining()) out.put((byte) ' ');
        return out.array();
    }

    /** A JSON string literal, escaped as serde_json (and so the Python library) escapes it. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private static void writeTo(WritableByteChannel ch, byte[] header, List<Tensor> sorted) throws IOException {
        writeFully(ch, ByteBuffer.wrap(header));
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : sorted) {
            int n = t.elementCount();
            for (int start = 0; start < n; start += CHUNK / 4) {
                int len = Math.min(CHUNK / 4, n - start);
                chunk.clear();
                if (t.isFloat()) chunk.asFloatBuffer().put(t.f32(), start, len);
                else chunk.asIntBuffer().put(t.i32(), start, len);
                chunk.limit(len * 4);
                writeFully(ch, chunk);
            }
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}
