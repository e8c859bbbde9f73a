package nnc.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.diag.CompileError;
import nnc.driver.UserError;
import nnc.runtime.data.DataException;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.train.TrainingDivergedException;

/**
 * The property every fuzz target checks: an input is either accepted or refused with one of the
 * exceptions nnc shows the user as a one-line message (exit code 1). Anything else escaping (an
 * NPE, an IllegalArgumentException, an index out of bounds, an OutOfMemoryError, a
 * StackOverflowError) would be an internal error, and so is a finding; so is a refusal whose
 * message is blank or does not name the file.
 */
final class UserFacing {
    /**
     * Inputs larger than this are skipped: the targets look for wrong handling of small files, and
     * the size limits of large ones are tested elsewhere.
     */
    static final int MAX_INPUT = 8 * 1024;

    private static final List<Class<? extends RuntimeException>> REFUSALS = List.of(
            CompileError.class, UserError.class, DataException.class, SafeTensorsException.class,
            TrainingDivergedException.class);

    private UserFacing() {}

    /** Work that may refuse its input. */
    interface Work {
        void run() throws IOException;
    }

    /** Runs {@code work}: a refusal naming {@code file} passes, every other exception or error is rethrown. */
    static void acceptOrRefuse(String file, Work work) {
        try {
            work.run();
        } catch (IOException e) {
            throw new UncheckedIOException("the fuzz target's own file I/O failed", e);
        } catch (RuntimeException e) {
            if (REFUSALS.stream().noneMatch(c -> c.isInstance(e))) throw e;
            String message = e.getMessage();
            if (message == null || message.isBlank()) throw new AssertionError("a refusal without a message", e);
            if (!(e instanceof TrainingDivergedException) && !message.contains(file))
                throw new AssertionError("a refusal that does not name the file " + file + ": " + message, e);
        }
    }

    /** A fresh directory for one target's files, deleted when the JVM exits. */
    static Path scratch(String name) {
        try {
            Path dir = Files.createTempDirectory("nnc-fuzz-" + name);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
