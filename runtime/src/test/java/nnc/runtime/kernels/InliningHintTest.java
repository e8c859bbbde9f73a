package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short JVMs that opt in to the inlining hint leave no directive file behind. */
class InliningHintTest {
    /** A JVM that opts in, starts the hint and exits after {@code args[0]} milliseconds, possibly while the hint is still being added. */
    public static void main(String[] args) throws InterruptedException {
        InliningHint.enable();
        InliningHint.cover(InliningHintTest.class);
        Thread.sleep(Long.parseLong(args[0]));
        System.exit(0);
    }

    @Test
    void aJvmThatExitsWhileTheHintIsAddedLeavesNoFile(@TempDir Path tmp) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int millis : new int[] {0, 0, 1, 1, 2, 3, 5, 8, 12, 20, 30, 45, 60, 90, 150, 220, 400}) {
            List<String> cmd = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                    "--add-modules", "jdk.incubator.vector", InliningHintTest.class.getName(), Integer.toString(millis)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertEquals(0, p.waitFor(), "the child JVM");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("nnc-inline")).toList());
        }
    }
}
