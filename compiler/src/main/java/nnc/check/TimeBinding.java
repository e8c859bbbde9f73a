package nnc.check;

import nnc.runtime.data.DataSpec;

/**
 * The length the sequence dimension {@code time} stands for in one compilation.
 *
 * <p>Design: {@code time} is symbolic in the language ({@code f32[batch, time, d]}, {@code
 * i32[batch, time]}) and bound to one fixed length when the trainer is compiled, so the generated
 * code is specialised to it and only {@code batch} stays a run-time size. The length comes from
 * {@code --time N} on the command line when given, else from the train block's data: the {@code
 * length} of a {@code sequence(...)} source (default {@link #DEFAULT_SEQUENCE_LENGTH}). When neither
 * gives one, a model that writes {@code time} is an error at the first {@code time} it declares.
 *
 * @param length the bound length, or 0 when unbound
 * @param origin where the length came from, for messages ({@code --time 16}, {@code sequence(length = 16)})
 */
public record TimeBinding(long length, String origin) {
    /** The length of {@code sequence(...)} data when the option is not written. */
    public static final int DEFAULT_SEQUENCE_LENGTH = 16;

    public static final TimeBinding UNBOUND = new TimeBinding(0, null);

    public boolean isBound() { return length > 0; }

    /** {@code --time} (null when not given) wins over the train block's data (null when none). */
    public static TimeBinding of(Long flag, DataSpec data) {
        if (flag != null) return new TimeBinding(flag, "--time " + flag);
        if (data != null && data.kind().equals("sequence")) {
            Object l = data.options().get("length");
            long length = l instanceof Number n ? n.longValue() : DEFAULT_SEQUENCE_LENGTH;
            if (length >= 1 && length <= Integer.MAX_VALUE) return new TimeBinding(length, "sequence(length = " + length + ")");
        }
        return UNBOUND;
    }
}
