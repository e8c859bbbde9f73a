package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --save, --out, --report, checkpoints and compile -o onto links, devices, standard output and existing files. */
class OutputFilesCliTest {
    @TempDir Path tmp;

    @Test
    void saveOntoASymlinkWritesItsTargetAndKeepsTheLink() throws Exception {
        Path model = Run.small(tmp, 1);
        Path target = tmp.resolve("models/p.safetensors"), link = tmp.resolve("latest.safetensors");
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(link, Path.of("models/p.safetensors"));
        Run.Result r = Run.nnc("train", model, "--save", link);
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertTrue(SafeTensors.read(target).tensors().containsKey("h.W"));
    }

    @Test
    void saveAndReportOntoDevNullLeaveTheDevice() throws Exception {
        Path model = Run.small(tmp, 1);
        Run.Result[] result = new Run.Result[1];
        DevNullGuard.around(() -> result[0] = Run.nnc("train", model, "--save", "/dev/null"));
        Run.Result r = result[0];
        assertEquals(0, r.code(), r.toString());
        Path dev = Path.of("/dev/null");
        assertFalse(Files.isRegularFile(dev, LinkOption.NOFOLLOW_LINKS), "/dev/null is still a device");
        assertEquals(0, Files.size(dev));
        Path links = Files.createDirectories(tmp.resolve("report"));
        Files.createSymbolicLink(links.resolve("loss.png"), dev);
        DevNullGuard.around(() -> assertEquals(0, Run.nnc("train", model, "--report", links).code()));
        assertTrue(Files.isSymbolicLink(links.resolve("loss.png")));
        assertTrue(Files.size(links.resolve("metrics.csv")) > 0);
    }

    @Test
    void predictToDevStdoutWritesTheCsvToStandardOutput() throws Exception {
        Path model = Run.small(tmp, 1);
        Path p = tmp.resolve("p.safetensors"), x = tmp.resolve("x.csv");
        assertEquals(0, Run.nnc("train", model, "--save", p).code());
        Files.writeString(x, "x0,x1\n0.5,0.25\n-1,2\n");
        PrintStream saved = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Run.Result r;
        try {
            System.setOut(new PrintStream(stdout, true));
            r = Run.nnc("predict", model, "--params", p, "--input", x, "--out", "/dev/stdout");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, r.code(), r.toString());
        List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), stdout.toString());
        assertEquals("p", lines.get(0));
        assertTrue(r.err().contains("wrote /dev/stdout: 2 rows of p"), "the summary goes to stderr: " + r);
        assertEquals("", r.out());
    }

    @Test
    void saveToDevStdoutWritesOnlyTheTensorsToStandardOutput() throws Exception {
        Path model = Run.small(tmp, 2);
        PrintStream saved = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Run.Result r;
        try {
            System.setOut(new PrintStream(stdout, true));
            r = Run.nnc("train", model, "--save", "/dev/stdout", "--json");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains("epoch 2/2") && r.err().contains("saved the parameters to /dev/stdout"), "the run's lines on stderr: " + r);
        var tensors = SafeTensors.decode(stdout.toByteArray(), "stdout");
        assertEquals(List.of("h.W", "h.b", "logits.W", "logits.b"), List.copyOf(new TreeSet<>(tensors.tensors().keySet())));
    }

    @Test
    void predictToDevStdoutInAProcessWithARedirectedOutput() throws Exception {
        Path model = Run.small(tmp, 1);
        Path p = tmp.resolve("p.safetensors"), x = tmp.resolve("x.csv"), y = tmp.resolve("y.csv");
        assertEquals(0, Run.nnc("train", model, "--save", p).code());
        Files.writeString(x, "0.5,0.25\n-1,2\n0,0\n");
        Process proc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "nnc.cli.Main", "predict", model.toString(), "--params", p.toString(),
                "--input", x.toString(), "--out", "/dev/stdout")
                .redirectOutput(y.toFile()).redirectError(tmp.resolve("err.txt").toFile()).start();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), Files.readString(tmp.resolve("err.txt")));
        List<String> lines = Files.readAllLines(y);
        assertEquals(4, lines.size(), Files.readString(y));
        assertEquals("p", lines.get(0));
        assertTrue(Files.isRegularFile(y, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void compileReplacesItsOutputInsteadOfOverwritingItInPlace() throws Exception {
        Path model = Run.small(tmp, 1), out = tmp.resolve("gen");
        assertEquals(0, Run.nnc("compile", model, "-o", out).code());
        Path java = out.resolve("nnc/generated/Playground.java"), old = tmp.resolve("old.java");
        Files.createLink(old, java);
        String before = Files.readString(java);
        Run.Result r = Run.nnc("compile", model, "-o", out, "--simd", "off");
        assertEquals(0, r.code(), r.toString());
        assertNotEquals(before, Files.readString(java), "scalar code now");
        assertEquals(before, Files.readString(old), "the old file's bytes were not touched (an in-place write would have changed them)");
        try (var files = Files.list(java.getParent())) {
            assertEquals(List.of(java), files.toList(), "no temporary file left");
        }
    }

    @Test
    void gradOutOntoASymlink() throws Exception {
        Path model = Run.small(tmp, 1);
        Path p = tmp.resolve("p.safetensors"), link = tmp.resolve("g-link"), target = tmp.resolve("g.safetensors");
        assertEquals(0, Run.nnc("train", model, "--save", p).code());
        Path inputs = tmp.resolve("i.safetensors");
        SafeTensors.write(inputs, List.of(Tensor.f32("x", new long[] {1, 2}, new float[] {0.5f, 1f}),
                Tensor.f32("y", new long[] {1, 1}, new float[] {1f})));
        Files.createSymbolicLink(link, target);
        Run.Result r = Run.nnc("grad", model, "--params", p, "--inputs", inputs, "--out", link);
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(SafeTensors.read(target).tensors().containsKey("loss"));
    }
}
