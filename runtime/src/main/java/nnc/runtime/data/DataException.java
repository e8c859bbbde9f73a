package nnc.runtime.data;

/**
 * A problem with a data set that the user can fix: a missing or malformed file, an unknown option,
 * data that does not fit the model. The message is meant to be shown as is: it names the file or
 * the place in the model where the data source was written, and says what is wrong.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message}, shown to the user as is. */
    public DataException(String message) {
        super(message);
    }

    /** A problem described by {@code message}, caused by {@code cause} (kept for {@code --verbose} traces). */
    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
