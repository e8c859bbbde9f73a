package nnc.emit;

/** Java source text for float constants that reads back as exactly the same bits. */
public final class FloatLiterals {
    private FloatLiterals() {}

    /**
     * {@code 0.5f}, {@code -1.0E-5f}, {@code Float.NaN}, {@code Float.NEGATIVE_INFINITY}, or
     * {@code Float.intBitsToFloat(0x…)} for a value whose shortest decimal would not round-trip
     * (such as a NaN with a payload).
     */
    public static String source(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return bits == Float.floatToRawIntBits(Float.NaN) ? "Float.NaN" : fromBits(bits);
        if (v == Float.POSITIVE_INFINITY) return "Float.POSITIVE_INFINITY";
        if (v == Float.NEGATIVE_INFINITY) return "Float.NEGATIVE_INFINITY";
        String text = Float.toString(v);
        return Float.floatToRawIntBits(Float.parseFloat(text)) == bits ? text + "f" : fromBits(bits);
    }

    private static String fromBits(int bits) {
        return String.format("Float.intBitsToFloat(0x%08x)", bits);
    }
}
