package nnc.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How nnc writes every output file ({@code --save}, {@code --out}, {@code --report} files,
 * checkpoints, {@code compile -o}), by what the destination is:
 * <ul>
 *   <li>absent or a regular file: written to a temporary sibling {@code .NAME.PID-N.tmp}, forced to
 *       disk and renamed over it, so a reader sees the old file or the new one, never a part, and a
 *       failed write (a full disk) leaves the old file as it was; a replaced file keeps its permissions;</li>
 *   <li>a symbolic link: followed (through chains of links); its final target is handled by these
 *       rules, and the link stays a link;</li>
 *   <li>the process's standard output or error ({@code /dev/stdout}, {@code /dev/fd/1},
 *       {@code /proc/self/fd/2}): written to the stream the process already has, in order with
 *       what it printed before;</li>
 *   <li>a character device, FIFO or socket ({@code /dev/null}, a named pipe): written through, streaming;</li>
 *   <li>a directory: refused.</li>
 * </ul>
 * Temporary siblings left by a killed run (whose process is gone) are removed before a write.
 * Problems are {@link OutputFileException}s naming the file and the reason.
 */
public final class OutputFile {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    /** What goes into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private OutputFile() {}

    /** Writes {@code bytes} to {@code file} by the rules above. */
    public static void write(Path file, byte[] bytes) { write(file, out -> out.write(bytes)); }

    /** Writes what {@code content} produces to {@code file} by the rules above. */
    public static void write(Path file, Content content) {
        Destination d = Destination.of(file);
        try {
            switch (d.kind()) {
                case DIRECTORY -> throw new OutputFileException(file.toString(), "is a directory");
                case STDOUT -> toStream(System.out, content);
                case STDERR -> toStream(System.err, content);
                case STREAM -> {
                    // a regular file reached through /proc/N/fd is rewritten from its start; devices and pipes just take the bytes
                    StandardOpenOption[] how = Files.isRegularFile(d.path())
                            ? new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING}
                            : new StandardOpenOption[] {StandardOpenOption.WRITE};
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(d.path(), how), 1 << 16)) {
                        content.writeTo(out);
                    }
                }
                case FILE -> replace(file, d.path(), content);
            }
        } catch (IOException e) {
            throw new OutputFileException(file.toString(), "cannot write the file: " + IoReason.of(e, file), e);
        }
    }

    /**
     * Checks, before a long run, that {@link #write} will be able to write {@code file}: not a
     * directory, its directory exists and takes a new file, and (when {@code bytes > 0}) has that
     * much usable space. The check creates and removes a temporary sibling, so it sees what a write
     * would see (read-only file systems, permissions, also for root). Stale temporaries of the file
     * are removed here too.
     */
    public static void check(Path file, long bytes) {
        Destination d = Destination.of(file);
        switch (d.kind()) {
            case DIRECTORY -> throw new OutputFileException(file.toString(), "is a directory");
            case FILE -> {
                Path dir = parent(d.path());
                if (!Files.exists(dir)) throw new OutputFileException(file.toString(), "cannot write the file: no such directory " + dir);
                if (!Files.isDirectory(dir)) throw new OutputFileException(file.toString(), "cannot write the file: " + dir + " is not a directory");
                removeStale(dir, d.path().getFileName().toString());
                probe(file.toString(), dir, bytes);
            }
            default -> { } // streams: nothing to check before writing
        }
    }

    /**
     * Checks that {@code dir} is a directory nnc can write files into, or can be created (its
     * nearest existing ancestor is a writable directory).
     */
    public static void checkDirectory(Path dir) {
        Path p = dir.toAbsolutePath();
        if (Files.exists(p)) {
            if (!Files.isDirectory(p)) throw new OutputFileException(dir.toString(), "is not a directory");
            probe(dir.toString(), p, 0);
            return;
        }
        Path ancestor = p.getParent();
        while (ancestor != null && !Files.exists(ancestor)) ancestor = ancestor.getParent();
        if (ancestor == null) throw new OutputFileException(dir.toString(), "cannot create the directory: no existing directory above it");
        if (!Files.isDirectory(ancestor)) throw new OutputFileException(dir.toString(), "cannot create the directory: " + ancestor + " is not a directory");
        probe(dir.toString(), ancestor, 0);
    }

    /** Creates {@code dir} and its missing parents; problems name {@code dir} and the reason. */
    public static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new OutputFileException(dir.toString(), "is not a directory", e);
        } catch (IOException e) {
            throw new OutputFileException(dir.toString(), "cannot create the directory: " + IoReason.of(e, dir), e);
        }
    }

    /** True when {@code file} is this process's standard output (so a command prints its summary elsewhere). */
    public static boolean isStandardOutput(Path file) {
        try {
            return Destination.of(file).kind() == Destination.Kind.STDOUT;
        } catch (OutputFileException e) {
            return false;
        }
    }

    private static void toStream(PrintStream stream, Content content) throws IOException {
        stream.flush();
        OutputStream out = new BufferedOutputStream(stream, 1 << 16) {
            @Override public void close() throws IOException { flush(); } // never close the process's stream
        };
        content.writeTo(out);
        out.flush();
        if (stream.checkError()) throw new IOException("the stream reported an error");
    }

    /** Temporary sibling, force, rename over {@code target}; {@code shown} is the name the user gave. */
    private static void replace(Path shown, Path target, Content content) throws IOException {
        Path dir = parent(target);
        if (!Files.isDirectory(dir)) throw new OutputFileException(shown.toString(), "cannot write the file: no such directory " + dir);
        String name = target.getFileName().toString();
        removeStale(dir, name);
        Path tmp = dir.resolve("." + name + "." + PID + "-" + SEQUENCE.incrementAndGet() + ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            keepPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    private static void keepPermissions(Path target, Path tmp) {
        try {
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS))
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or not ours to read: the new file keeps the default permissions
        }
    }

    /** Makes the rename durable where the platform lets a directory be forced (Linux); elsewhere a no-op. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    /**
     * Removes {@code .NAME.<digits>[-<digits>].tmp} siblings whose process is gone: what a killed
     * run (kill -9, power loss) left behind. Another live process's temporaries are left alone.
     */
    static void removeStale(Path dir, String name) {
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> {
            String f = p.getFileName().toString();
            return f.startsWith(prefix) && f.endsWith(".tmp") && f.length() > prefix.length() + 4;
        })) {
            for (Path p : files) {
                String f = p.getFileName().toString();
                String middle = f.substring(prefix.length(), f.length() - 4);
                int dash = middle.indexOf('-');
                String pid = dash < 0 ? middle : middle.substring(0, dash);
                if (pid.isEmpty() || !pid.chars().allMatch(c -> c >= '0' && c <= '9') || pid.length() > 18) continue;
                if (!middle.substring(pid.length()).matches("(-[0-9]+)?")) continue;
                long owner = Long.parseLong(pid);
                if (owner == PID || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) continue;
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // not ours to remove: leave it
                }
            }
        } catch (IOException e) {
            // an unreadable directory fails the write itself, with the reason
        }
    }

    /** Creates and removes a temporary sibling in {@code dir}, and compares the usable space with {@code bytes}. */
    private static void probe(String shown, Path dir, long bytes) {
        Path tmp = dir.resolve(".nnc-check." + PID + "-" + SEQUENCE.incrementAndGet() + ".tmp");
        try {
            Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(tmp);
        } catch (IOException e) {
            throw new OutputFileException(shown, "cannot write into " + dir + ": " + IoReason.of(e, tmp), e);
        }
        if (bytes <= 0) return;
        long usable;
        try {
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return; // unknown: the write will tell
        }
        if (usable < bytes)
            throw new OutputFileException(shown, "needs " + bytes + " bytes, but " + dir + " has only " + usable + " bytes free");
    }

    private static Path parent(Path p) {
        Path dir = p.toAbsolutePath().getParent();
        return dir == null ? p.toAbsolutePath().getRoot() : dir;
    }

    /** What a path names once its symbolic links are followed. */
    record Destination(Kind kind, Path path) {
        enum Kind { FILE, DIRECTORY, STREAM, STDOUT, STDERR }

        private static final int MAX_LINKS = 40;

        static Destination of(Path file) {
            try {
                Path p = real(file.toAbsolutePath());
                for (int hops = 0; ; hops++) {
                    Kind std = standard(p);
                    if (std != null) return new Destination(std, p);
                    if (isProcessFd(p)) return magic(p);
                    if (!Files.isSymbolicLink(p)) break;
                    if (hops == MAX_LINKS) throw new OutputFileException(file.toString(), "too many levels of symbolic links");
                    p = real(p.resolveSibling(Files.readSymbolicLink(p)));
                }
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    return new Destination(Kind.FILE, p);
                }
                if (a.isDirectory()) return new Destination(Kind.DIRECTORY, p);
                return new Destination(a.isRegularFile() ? Kind.FILE : Kind.STREAM, p);
            } catch (IOException e) {
                throw new OutputFileException(file.toString(), "cannot write the file: " + IoReason.of(e, file), e);
            }
        }

        /** The path with its directory's links resolved (so {@code ..} and {@code /dev/fd} mean what the kernel means). */
        private static Path real(Path p) throws IOException {
            Path name = p.getFileName();
            Path dir = p.getParent();
            if (name == null || dir == null || name.toString().equals(".") || name.toString().equals(".."))
                return Files.exists(p) ? p.toRealPath() : p.normalize();
            return Files.isDirectory(dir) ? dir.toRealPath().resolve(name) : p.normalize();
        }

        private static Kind standard(Path p) {
            String s = p.toString();
            for (String fd : new String[] {"/dev/fd/", "/proc/self/fd/", "/proc/" + PID + "/fd/"}) {
                if (s.equals(fd + "1")) return Kind.STDOUT;
                if (s.equals(fd + "2")) return Kind.STDERR;
            }
            if (s.equals("/dev/stdout")) return Kind.STDOUT;
            if (s.equals("/dev/stderr")) return Kind.STDERR;
            return null;
        }

        /** {@code /proc/N/fd/M}: a link the kernel resolves (its text may be {@code pipe:[123]}): written through. */
        private static boolean isProcessFd(Path p) {
            return p.getNameCount() == 4 && p.startsWith("/proc") && p.getName(2).toString().equals("fd");
        }

        private static Destination magic(Path p) throws IOException {
            if (Files.isDirectory(p)) return new Destination(Kind.DIRECTORY, p);
            return new Destination(Kind.STREAM, p);
        }
    }
}
