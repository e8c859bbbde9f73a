package nnc.runtime.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.runtime.Limits;

/**
 * Decodes the bytes of a safetensors file and checks everything the format promises: the header
 * length fits in the file, the header is a UTF-8 JSON object of well-formed entries, every
 * tensor's byte range matches its shape and dtype, and the ranges tile the data section exactly
 * (no overlap, no hole, nothing left over), as the format's specification requires.
 */
final class SafeTensorsReader {
    /** The header's reserved key for free-form string metadata. */
    static final String METADATA = "__metadata__";
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    /** One header entry, checked on its own. */
    private record Entry(String name, String dtype, long[] shape, long begin, long end) {
        String offsetsText() { return "[" + begin + ", " + end + "]"; }
    }

    private final String origin;

    private SafeTensorsReader(String origin) { this.origin = origin; }

    static TensorFile decode(byte[] bytes, String origin) {
        return new SafeTensorsReader(origin).decode(bytes);
    }

    private TensorFile decode(byte[] bytes) {
        if (bytes.length < 8)
            throw fail("truncated: " + bytes.length + " bytes, too short for the 8-byte header length");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength < 0 || headerLength > bytes.length - 8L)
            throw fail("header length " + Long.toUnsignedString(headerLength) + " goes beyond the end of the file ("
                    + bytes.length + " bytes); the file is truncated or not a safetensors file");
        Map<String, Object> header = parseHeader(bytes, 8, (int) headerLength);
        int dataStart = 8 + (int) headerLength;
        long dataLength = bytes.length - (long) dataStart;

        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals(METADATA)) metadata = metadata(e.getValue());
            else entries.add(entry(e.getKey(), e.getValue(), dataLength));
        }
        checkTiling(entries, dataLength);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) tensors.put(e.name(), tensor(e, buf, dataStart));
        return new TensorFile(origin, tensors, metadata);
    }

    /**
     * The bytes of tensor data the JSON header {@code header} declares (the largest end offset),
     * after checking every entry on its own; lets a reader check the size before reading the data.
     */
    static long declaredDataLength(byte[] header, String origin) {
        SafeTensorsReader r = new SafeTensorsReader(origin);
        long end = 0;
        for (Map.Entry<String, Object> e : r.parseHeader(header, 0, header.length).entrySet())
            if (!e.getKey().equals(METADATA)) end = Math.max(end, r.entry(e.getKey(), e.getValue(), Long.MAX_VALUE).end());
        return end;
    }

    private Map<String, Object> parseHeader(byte[] bytes, int offset, int length) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw fail("the header is not valid UTF-8");
        }
        Object parsed;
        try {
            parsed = JsonParser.parse(text);
        } catch (JsonParser.JsonException e) {
            throw fail("the header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) throw fail("the header is not a JSON object");
        @SuppressWarnings("unchecked") Map<String, Object> header = (Map<String, Object>) map;
        return header;
    }

    private Map<String, String> metadata(Object value) {
        if (!(value instanceof Map<?, ?> map)) throw fail(METADATA + " is not a JSON object");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) throw fail(METADATA + " value of \"" + e.getKey() + "\" is not a string");
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private Entry entry(String name, Object value, long dataLength) {
        if (!(value instanceof Map<?, ?> map)) throw fail("tensor " + name + ": the header entry is not a JSON object");
        for (Object key : map.keySet())
            if (!ENTRY_KEYS.contains(key)) throw fail("tensor " + name + ": unknown header field \"" + key + "\"");
        for (String key : ENTRY_KEYS)
            if (!map.containsKey(key)) throw fail("tensor " + name + ": the header entry has no \"" + key + "\"");
        if (!(map.get("dtype") instanceof String dtype)) throw fail("tensor " + name + ": dtype is not a string");
        DTypeCodec codec = DTypeCodec.named(dtype);
        if (codec == null) throw fail("tensor " + name + ": dtype " + dtype + " is not supported (nnc reads " + DTypeCodec.names() + ")");
        long[] shape = naturals(name, "shape", map.get("shape"), -1);
        long[] offsets = naturals(name, "data_offsets", map.get("data_offsets"), 2);
        Entry e = new Entry(name, dtype, shape, offsets[0], offsets[1]);
        if (e.begin() > e.end()) throw fail("tensor " + name + ": data_offsets " + e.offsetsText() + " end before they begin");
        if (e.end() > dataLength && dataLength != Long.MAX_VALUE)
            throw fail("tensor " + name + ": data_offsets " + e.offsetsText() + " go beyond the data section (" + dataLength + " bytes)");
        long count = elementCount(name, shape);
        long need = count * codec.size();
        if (e.end() - e.begin() != need)
            throw fail("tensor " + name + ": data_offsets " + e.offsetsText() + " hold " + (e.end() - e.begin()) + " bytes, shape "
                    + Tensor.shapeText(shape) + " of " + dtype + " needs " + need);
        return e;
    }

    /** A JSON array of non-negative integers; {@code length} -1 means any length. */
    private long[] naturals(String name, String field, Object value, int length) {
        if (!(value instanceof List<?> list)) throw fail("tensor " + name + ": " + field + " is not a JSON array");
        if (length >= 0 && list.size() != length) throw fail("tensor " + name + ": " + field + " must have " + length + " entries, has " + list.size());
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0)
                throw fail("tensor " + name + ": " + field + " holds " + list.get(i) + ", not a non-negative integer");
            out[i] = v;
        }
        return out;
    }

    private long elementCount(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d != 0 && n > (Integer.MAX_VALUE - 8) / d) {
                for (long z : shape) if (z == 0) return 0;
                throw fail("tensor " + name + ": shape " + Tensor.shapeText(shape) + " has more elements than one Java array holds ("
                        + Limits.count(Limits.MAX_ARRAY_LENGTH) + ")");
            }
            n *= d;
        }
        return n;
    }

    /** The byte ranges, in order, must cover {@code [0, dataLength)} exactly once. */
    private void checkTiling(List<Entry> entries, long dataLength) {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin() < covered)
                throw fail("tensors " + previous.name() + " and " + e.name() + " overlap: data_offsets "
                        + previous.offsetsText() + " and " + e.offsetsText());
            if (e.begin() > covered)
                throw fail("bytes [" + covered + ", " + e.begin() + ") of the data section belong to no tensor");
            covered = e.end();
            previous = e;
        }
        if (covered != dataLength)
            throw fail("the data section has " + dataLength + " bytes but its tensors use " + covered
                    + (covered < dataLength ? " (extra bytes at the end)" : ""));
    }

    private Tensor tensor(Entry e, ByteBuffer buf, int dataStart) {
        ByteBuffer data = buf.slice(dataStart + (int) e.begin(), (int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
        DTypeCodec codec = DTypeCodec.named(e.dtype());
        try {
            return codec.decode(e.name(), e.shape(), data);
        } catch (DTypeCodec.ValueRangeException ex) {
            throw fail("tensor " + e.name() + ": " + ex.getMessage());
        }
    }

    private SafeTensorsException fail(String problem) { return new SafeTensorsException(origin, problem); }
}
