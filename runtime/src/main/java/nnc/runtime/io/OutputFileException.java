package nnc.runtime.io;

/**
 * An output file that cannot be written (or, checked before a run, would not be): the message names
 * the file and the reason, e.g. {@code out/model.safetensors: cannot write into out: permission denied}.
 */
public final class OutputFileException extends RuntimeException {
    private final String file;
    private final String problem;

    public OutputFileException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public OutputFileException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The file as the user named it. */
    public String file() { return file; }

    /** What is wrong, without the file name. */
    public String problem() { return problem; }
}
