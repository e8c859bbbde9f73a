package nnc.runtime;

import nnc.runtime.data.DataException;

/**
 * An input whose size is over one of the {@link Limits}: the message names the input, the size and
 * the limit. A {@link DataException}, so every front end reports it as a problem with the input.
 */
public final class LimitException extends DataException {
    private static final long serialVersionUID = 1L;

    /** A size over a limit, said in {@code message}. */
    public LimitException(String message) { super(message); }
}
