package nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Runs a test step that writes to /dev/null and checks that /dev/null is still a device afterwards.
 * A writer that renames a file over it (the bug these tests guard against) would, as root, leave a
 * regular file there for every process on the machine: the guard then puts the device back and fails.
 */
public final class DevNullGuard {
    private static final Path DEV_NULL = Path.of("/dev/null");

    private DevNullGuard() {}

    public interface Step { void run() throws Exception; }

    public static void around(Step step) throws Exception {
        if (!isDevice()) fail("/dev/null is not a device before the test: restore it (mknod -m 666 /dev/null c 1 3)");
        try {
            step.run();
        } finally {
            if (!isDevice()) {
                Process p = new ProcessBuilder("sh", "-c", "rm -f /dev/null && mknod -m 666 /dev/null c 1 3").inheritIO().start();
                p.waitFor();
                fail("the write replaced /dev/null with a regular file" + (isDevice() ? " (restored)" : "; restore it: mknod -m 666 /dev/null c 1 3"));
            }
        }
    }

    private static boolean isDevice() {
        return Files.exists(DEV_NULL, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(DEV_NULL, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(DEV_NULL);
    }
}
