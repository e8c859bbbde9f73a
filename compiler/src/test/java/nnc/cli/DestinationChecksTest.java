package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Destinations are checked before the first training step: a run never ends by losing its result. */
class DestinationChecksTest {
    @TempDir Path tmp;

    /** Exit 1, the one-line message, and no training line on stdout: nothing was trained. */
    private static void assertRefusedBeforeTraining(Run.Result r, String message) {
        assertEquals(1, r.code(), r.toString());
        assertEquals(message, r.err().strip(), r.toString());
        assertFalse(r.out().contains("epoch 1"), "refused before the first step: " + r);
    }

    @Test
    void saveIntoAMissingDirectory() throws Exception {
        Path save = tmp.resolve("no/such/p.safetensors");
        assertRefusedBeforeTraining(Run.nnc("train", Run.small(tmp, 2), "--save", save),
                save + ": error: cannot write the file: no such directory " + tmp.resolve("no/such"));
    }

    @Test
    void saveOntoADirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        assertRefusedBeforeTraining(Run.nnc("train", Run.small(tmp, 2), "--save", dir), dir + ": error: is a directory");
    }

    @Test
    void checkpointOntoAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("ck"), "x");
        assertRefusedBeforeTraining(Run.nnc("train", Run.small(tmp, 2), "--checkpoint", file), file + ": error: is not a directory");
    }

    @Test
    void checkpointFileIsADirectory() throws Exception {
        Path ck = Files.createDirectories(tmp.resolve("ck/last.safetensors")).getParent();
        assertRefusedBeforeTraining(Run.nnc("train", Run.small(tmp, 2), "--checkpoint", ck), ck.resolve("last.safetensors") + ": error: is a directory");
    }

    @Test
    void reportUnderAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        assertRefusedBeforeTraining(Run.nnc("train", Run.small(tmp, 2), "--report", file.resolve("r")),
                file.resolve("r") + ": error: cannot write the report: cannot create the directory: " + file + " is not a directory");
    }

    @Test
    void predictAndGradOutAreCheckedBeforeRunning() throws Exception {
        Path model = Run.small(tmp, 1), p = tmp.resolve("p.safetensors");
        assertEquals(0, Run.nnc("train", model, "--save", p).code());
        Path out = tmp.resolve("missing/y.csv");
        Run.Result r = Run.nnc("predict", model, "--params", p, "--input", tmp.resolve("no-input.csv"), "--out", out);
        assertEquals(1, r.code());
        assertEquals(out + ": error: cannot write the file: no such directory " + tmp.resolve("missing"), r.err().strip(), "before reading the input");
        Path dir = Files.createDirectories(tmp.resolve("g"));
        Run.Result g = Run.nnc("grad", model, "--params", p, "--inputs", tmp.resolve("no-inputs.safetensors"), "--out", dir);
        assertEquals(1, g.code());
        assertEquals(dir + ": error: is a directory", g.err().strip());
    }

    @Test
    void aReadOnlyDirectoryGivesTheReasonWherePermissionsApply() throws Exception {
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path save = ro.resolve("p.safetensors");
            Run.Result r = Run.nnc("train", Run.small(tmp, 1), "--save", save);
            if (canCreateIn(ro)) { // root: permission bits do not apply; the run writes the file
                assertEquals(0, r.code(), r.toString());
                assertTrue(Files.size(save) > 0);
            } else {
                assertRefusedBeforeTraining(r, save + ": error: cannot write into " + ro + ": permission denied");
            }
            if (Files.isDirectory(Path.of("/sys")) && !canCreateIn(Path.of("/sys"))) { // refused even to root
                Path sys = Path.of("/sys/p.safetensors");
                assertRefusedBeforeTraining(Run.nnc("train", Run.small(tmp, 1), "--save", sys),
                        sys + ": error: cannot write into /sys: permission denied");
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
}
