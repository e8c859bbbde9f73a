package nnc.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opening data files: path resolution, transparent gzip, and I/O errors as {@link DataException}s. */
final class DataFiles {
    static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist/";
    private static final int BUFFER = 1 << 16;

    private DataFiles() {}

    /** {@code file} relative to {@code baseDir} unless absolute (or no base is given); a name no file can have is a DataException. */
    static Path resolve(Path baseDir, String file, String prefix) {
        Path p;
        try {
            p = Path.of(file);
        } catch (InvalidPathException e) {
            int at = file.indexOf('\0');
            throw new DataException(prefix + "'" + file.replace("\0", "\\0") + "' is not a possible file name"
                    + (at >= 0 ? " (it holds a NUL character at position " + (at + 1) + ")" : ": " + e.getReason()));
        }
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }

    /** A buffered stream over the file's content, un-gzipped when it starts with the gzip magic 1f 8b. */
    static InputStream open(Path path, String prefix) {
        if (!Files.exists(path)) throw missing(path, prefix);
        if (Files.isDirectory(path)) throw new DataException(prefix + path + " is a directory, not a data file");
        try {
            BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), BUFFER);
            in.mark(2);
            int b0 = in.read(), b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
            return in;
        } catch (IOException e) {
            throw failure(path, prefix, e);
        }
    }

    /** The message for a file that is not there, with the Debian package to install where one exists. */
    static DataException missing(Path path, String prefix) {
        String message = prefix + "cannot find " + path;
        if (path.toAbsolutePath().normalize().toString().startsWith(FASHION_MNIST_DIR)) {
            message += "; Fashion-MNIST comes in the Debian package dataset-fashion-mnist:"
                    + " install it with `apt-get install dataset-fashion-mnist`";
        }
        return new DataException(message);
    }

    /** An I/O error while reading {@code path}, said in words. */
    static DataException failure(Path path, String prefix, IOException e) {
        if (e instanceof NoSuchFileException) return missing(path, prefix);
        if (e instanceof AccessDeniedException) return new DataException(prefix + "no permission to read " + path, e);
        if (e instanceof EOFException) return new DataException(prefix + path + " is truncated (unexpected end of compressed data)", e);
        if (e instanceof ZipException) return new DataException(prefix + path + " is not valid gzip data: " + e.getMessage(), e);
        return new DataException(prefix + "cannot read " + path + ": " + e.getMessage(), e);
    }
}
