package nnc.runtime;

import java.util.Locale;

/**
 * The one place that bounds sizes that come from untrusted input (data files, parameter files,
 * {@code .nn} sources, command-line sizes) before anything is allocated for them. Every check
 * names the limit it hit, so a message says what to change.
 *
 * <ul>
 *   <li>{@link #maxMemory()}: bytes one allocation, or a model's buffers together, may take;
 *       {@code --max-memory} sets it, by default the JVM's maximum heap (which also bounds it:
 *       see {@link #memory()});</li>
 *   <li>{@link #MAX_ARRAY_LENGTH}: elements of one Java array (a tensor, a data set's features);</li>
 *   <li>{@link #MAX_SOURCE_BYTES}: a {@code .nn} file; {@link #MAX_SAFETENSORS_HEADER}: the JSON
 *       header of a safetensors file (the format's own limit); {@link #MAX_LINE_CHARS}: one line of
 *       a CSV file.</li>
 * </ul>
 */
public final class Limits {
    /** Elements one Java array can hold on HotSpot (a few header words below {@code Integer.MAX_VALUE}). */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** Bytes of a {@code .nn} source file (a model of a thousand layers is well under 1 MiB). */
    public static final int MAX_SOURCE_BYTES = 1 << 20;
    /** Bytes of a safetensors JSON header: the limit of the format's reference implementation. */
    public static final int MAX_SAFETENSORS_HEADER = 100_000_000;
    /** Characters of one CSV line (over 1.5 million numbers). */
    public static final int MAX_LINE_CHARS = 1 << 24;

    private static volatile long maxMemory = defaultMaxMemory();

    private Limits() {}

    /** The JVM's maximum heap ({@link Runtime#maxMemory()}): the memory limit when none is set. */
    public static long defaultMaxMemory() { return Runtime.getRuntime().maxMemory(); }

    /** The memory limit in bytes. */
    public static long maxMemory() { return maxMemory; }

    /** Sets the memory limit ({@code --max-memory}); at least 1 byte. */
    public static void setMaxMemory(long bytes) {
        if (bytes < 1) throw new IllegalArgumentException("the memory limit must be at least 1 byte, got " + bytes);
        maxMemory = bytes;
    }

    /**
     * Parses a byte count as {@code -Xmx} does: digits with an optional suffix {@code k m g t}
     * (either case, powers of 1024, an optional trailing {@code b}); {@code 8g}, {@code 512m}, {@code 1000000}.
     *
     * @throws IllegalArgumentException with a message for people when {@code text} is not one
     */
    public static long parseBytes(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> { }
            }
        }
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 18)
            throw new IllegalArgumentException("'" + text + "' is not a byte count (write e.g. 8g, 512m, 100000k or 1000000)");
        long n = Long.parseLong(digits);
        if (n < 1) throw new IllegalArgumentException("'" + text + "' must be at least 1 byte");
        if (n > Long.MAX_VALUE >> shift) throw new IllegalArgumentException("'" + text + "' is too large");
        return n << shift;
    }

    /** The product of {@code sizes}, saturating at {@code Long.MAX_VALUE} (sizes are non-negative). */
    public static long product(long... sizes) {
        long n = 1;
        for (long s : sizes) {
            if (s == 0) return 0;
            n = n > Long.MAX_VALUE / s ? Long.MAX_VALUE : n * s;
        }
        return n;
    }

    /**
     * Why {@code count} values of {@code bytesEach} bytes cannot be allocated, or null when they can:
     * {@code 2,147,395,600 values (8.0 GiB), over the memory limit of 6.0 GiB (--max-memory)}.
     */
    public static String valuesProblem(long count, int bytesEach) {
        if (count > MAX_ARRAY_LENGTH)
            return count(count) + " values, more than one Java array holds (" + count(MAX_ARRAY_LENGTH) + ")";
        long bytes = count * bytesEach;
        return bytes > memory() ? count(count) + " values (" + bytes(bytes) + "), " + overMemory() : null;
    }

    /** Why {@code bytes} bytes cannot be held in memory at once, or null when they can. */
    public static String bytesProblem(long bytes) {
        if (bytes > MAX_ARRAY_LENGTH) return count(bytes) + " bytes, more than one Java array holds (" + count(MAX_ARRAY_LENGTH) + ")";
        return bytes > memory() ? count(bytes) + " bytes (" + bytes(bytes) + "), " + overMemory() : null;
    }

    /**
     * The bytes an input may take: the memory limit, or the JVM's maximum heap when that is smaller
     * (a limit above the heap cannot be met; the JVM needs {@code -Xmx} for it).
     */
    public static long memory() { return Math.min(maxMemory, defaultMaxMemory()); }

    /** Throws a {@link LimitException} {@code subject + " " + problem} unless {@link #valuesProblem} is null. */
    public static void requireValues(String subject, long count, int bytesEach) {
        String problem = valuesProblem(count, bytesEach);
        if (problem != null) throw new LimitException(subject + " " + problem);
    }

    /**
     * {@code over the memory limit of 6.0 GiB (--max-memory)}, or, when the limit is above the JVM's
     * heap, {@code over the JVM's maximum heap of 6.0 GiB (give it more with -Xmx, e.g. NNC_JAVA_OPTS=-Xmx16g)}.
     */
    public static String overMemory() {
        return maxMemory <= defaultMaxMemory() ? "over the memory limit of " + bytes(maxMemory) + " (--max-memory)"
                : "over the JVM's maximum heap of " + bytes(defaultMaxMemory()) + " (give it more with -Xmx, e.g. NNC_JAVA_OPTS=-Xmx"
                        + ((maxMemory + (1L << 30) - 1) >> 30) + "g)";
    }

    /** {@code 8.0 GiB}, {@code 512.0 MiB}, {@code 12 B}: binary units, as {@code --max-memory} reads them. */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code 2,147,395,600}. */
    public static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }
}
