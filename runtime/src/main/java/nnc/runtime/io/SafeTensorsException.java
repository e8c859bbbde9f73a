package nnc.runtime.io;

/**
 * A safetensors file that cannot be read or written: missing, truncated, with a malformed header,
 * or with data that does not match its header. The message names the file and the problem, e.g.
 * {@code params.safetensors: tensor h.W: data_offsets [0, 20] hold 20 bytes, shape [2, 3] of F32 needs 24}.
 */
public final class SafeTensorsException extends RuntimeException {
    private final String file;
    private final String problem;

    /** A problem with {@code file}; the message is {@code file + ": " + problem}. */
    public SafeTensorsException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    /** A problem with {@code file} caused by {@code cause} (an I/O error, say). */
    public SafeTensorsException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file the problem is in, as it was named to the reader or writer. */
    public String file() { return file; }

    /** What is wrong, without the file name. */
    public String problem() { return problem; }
}
