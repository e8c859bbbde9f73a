package nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every writer's destination rules: regular files, links, devices, FIFOs, directories, standard output. */
class OutputFileTest {
    @TempDir Path tmp;

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private List<String> names() throws IOException {
        try (var files = Files.list(tmp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aRegularFileIsReplacedByANewFileNotOverwrittenInPlace() throws IOException {
        Path f = tmp.resolve("LeNet.java"), other = tmp.resolve("hard-link");
        Files.writeString(f, "good old contents");
        Files.createLink(other, f); // a second name for the old inode: an in-place overwrite would change it
        OutputFile.write(f, bytes("new"));
        assertEquals("new", Files.readString(f));
        assertEquals("good old contents", Files.readString(other), "the old file was replaced by a rename, not rewritten");
        assertEquals(List.of("LeNet.java", "hard-link"), names(), "no temporary file left");
    }

    @Test
    void aFailedWriteLeavesTheOldFileWholeAndNoTemporary() throws IOException {
        Path f = tmp.resolve("LeNet.java");
        Files.writeString(f, "x".repeat(73_000));
        var e = assertThrows(OutputFileException.class, () -> OutputFile.write(f, out -> {
            out.write(new byte[8_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals(f + ": cannot write the file: no space left on device", e.getMessage());
        assertEquals(73_000, Files.size(f), "the good file is untouched");
        assertEquals(List.of("LeNet.java"), names());
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        Path f = tmp.resolve("p.csv");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        OutputFile.write(f, bytes("new"));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void aSymlinkIsFollowedAndStaysALink() throws IOException {
        Files.createDirectories(tmp.resolve("real"));
        Path target = tmp.resolve("real/model.safetensors");
        Files.writeString(target, "old");
        Path link = tmp.resolve("link"), chain = tmp.resolve("chain");
        Files.createSymbolicLink(link, Path.of("real/model.safetensors")); // relative, as ln -s makes them
        Files.createSymbolicLink(chain, link);
        OutputFile.write(chain, bytes("new"));
        assertTrue(Files.isSymbolicLink(chain) && Files.isSymbolicLink(link), "both links stay links");
        assertEquals("new", Files.readString(target));
        try (var files = Files.list(tmp.resolve("real"))) {
            assertEquals(List.of(target), files.toList(), "the temporary sibling was next to the target, and is gone");
        }
    }

    @Test
    void aLoopOfSymlinksIsNamed() throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        var e = assertThrows(OutputFileException.class, () -> OutputFile.write(a, bytes("x")));
        assertEquals(a + ": too many levels of symbolic links", e.getMessage());
        assertTrue(Files.isSymbolicLink(a) && Files.isSymbolicLink(b));
    }

    @Test
    void aDanglingSymlinkCreatesItsTarget() throws IOException {
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, tmp.resolve("new.csv"));
        OutputFile.write(link, bytes("a,b\n"));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("a,b\n", Files.readString(tmp.resolve("new.csv")));
    }

    @Test
    void devNullIsWrittenThroughAndStaysADevice() throws Exception {
        Path dev = Path.of("/dev/null");
        DevNullGuard.around(() -> {
            OutputFile.write(dev, bytes("discarded"));
            OutputFile.check(dev, 1L << 40);
            // a link to /dev/null too
            Path link = tmp.resolve("sink");
            Files.createSymbolicLink(link, dev);
            OutputFile.write(link, bytes("discarded"));
            assertTrue(Files.isSymbolicLink(link));
        });
        assertTrue(Files.exists(dev) && !Files.isRegularFile(dev, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dev), "still a device");
    }

    @Test
    void aFifoIsWrittenThroughStreaming() throws Exception {
        Path fifo = tmp.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(30, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] data = new byte[300_000]; // more than a pipe buffer: the write streams while the reader reads
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
        OutputFile.write(fifo, data);
        assertArrayEquals(data, reader.get(60, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "still a FIFO");
        assertEquals(List.of("pipe"), names());
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        var e = assertThrows(OutputFileException.class, () -> OutputFile.write(dir, bytes("x")));
        assertEquals(dir + ": is a directory", e.getMessage());
        assertEquals(dir + ": is a directory", assertThrows(OutputFileException.class, () -> OutputFile.check(dir, 0)).getMessage());
        Path link = tmp.resolve("to-dir");
        Files.createSymbolicLink(link, dir);
        assertEquals(link + ": is a directory", assertThrows(OutputFileException.class, () -> OutputFile.write(link, bytes("x"))).getMessage());
    }

    @Test
    void aMissingDirectoryIsNamedByTheCheck() {
        Path f = tmp.resolve("no/such/m.safetensors");
        var e = assertThrows(OutputFileException.class, () -> OutputFile.check(f, 0));
        assertEquals(f + ": cannot write the file: no such directory " + tmp.resolve("no/such"), e.getMessage());
    }

    @Test
    void theCheckComparesTheUsableSpace() {
        Path f = tmp.resolve("huge.safetensors");
        var e = assertThrows(OutputFileException.class, () -> OutputFile.check(f, Long.MAX_VALUE / 2));
        assertTrue(e.getMessage().startsWith(f + ": needs " + Long.MAX_VALUE / 2 + " bytes, but " + tmp + " has only "), e.getMessage());
        OutputFile.check(f, 1000); // a small file fits
        assertFalse(Files.exists(f), "a check writes nothing");
    }

    @Test
    void aReadOnlyDirectoryGivesTheReason() throws IOException {
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            boolean privileged = canCreateIn(ro); // root ignores permission bits
            Path f = ro.resolve("m.safetensors");
            if (!privileged) {
                var e = assertThrows(OutputFileException.class, () -> OutputFile.check(f, 0));
                assertEquals(f + ": cannot write into " + ro + ": permission denied", e.getMessage());
                var w = assertThrows(OutputFileException.class, () -> OutputFile.write(f, bytes("x")));
                assertTrue(w.getMessage().startsWith(f + ": cannot write the file: permission denied"), w.getMessage());
            } else {
                OutputFile.check(f, 0); // what a write would see: it succeeds
                OutputFile.write(f, bytes("x"));
                assertEquals("x", Files.readString(f));
                Path sys = Path.of("/sys/nnc-output-test");
                if (Files.isDirectory(Path.of("/sys")) && !canCreateIn(Path.of("/sys"))) { // sysfs refuses new files even to root
                    var e = assertThrows(OutputFileException.class, () -> OutputFile.check(sys, 0));
                    assertEquals(sys + ": cannot write into /sys: permission denied", e.getMessage());
                }
            }
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static boolean canCreateIn(Path dir) {
        try {
            Files.delete(Files.createFile(dir.resolve(".probe")));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void staleTemporariesOfDeadProcessesAreRemovedOthersKept() throws IOException {
        Path f = tmp.resolve("last.safetensors");
        long dead = deadPid();
        Path stale = Files.writeString(tmp.resolve(".last.safetensors." + dead + "-3.tmp"), "");
        Path oldStyle = Files.writeString(tmp.resolve(".last.safetensors.8231940812374.tmp"), ""); // createTempFile's random name
        Path live = Files.writeString(tmp.resolve(".last.safetensors." + ProcessHandle.current().parent().orElseThrow().pid() + "-1.tmp"), "");
        Path unrelated = Files.writeString(tmp.resolve(".last.safetensors.notes.tmp"), "");
        OutputFile.write(f, bytes("ck"));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(oldStyle));
        assertTrue(Files.exists(live), "a live process's temporary is left alone");
        assertTrue(Files.exists(unrelated));
        assertNotEquals(0, Files.size(f));
    }

    @Test
    void theCheckBeforeARunRemovesStaleTemporariesToo() throws IOException {
        Path stale = Files.writeString(tmp.resolve(".last.safetensors." + deadPid() + "-1.tmp"), "");
        OutputFile.check(tmp.resolve("last.safetensors"), 0);
        assertEquals(List.of(), names(), "nothing stale, and the check's own probe is gone");
        assertFalse(Files.exists(stale));
    }

    private static long deadPid() {
        for (long pid = 4_000_000; ; pid--) if (ProcessHandle.of(pid).isEmpty()) return pid;
    }

    @Test
    void standardOutputIsTheProcessStreamInOrder() {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, false));
            System.out.print("before|");
            OutputFile.write(Path.of("/dev/stdout"), new byte[] {'a', 0, 'b'});
            System.out.print("|after");
            System.out.flush();
            assertTrue(OutputFile.isStandardOutput(Path.of("/dev/stdout")));
            assertTrue(OutputFile.isStandardOutput(Path.of("/dev/fd/1")));
            assertFalse(OutputFile.isStandardOutput(Path.of("/dev/null")));
        } finally {
            System.setOut(saved);
        }
        assertArrayEquals(bytes("before|a\0b|after"), captured.toByteArray());
    }
}
