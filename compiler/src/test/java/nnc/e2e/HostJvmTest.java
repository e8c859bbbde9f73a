package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.management.ObjectName;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.CompiledModel;
import nnc.runtime.kernels.InliningHint;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.kernels.VectorMath;
import nnc.runtime.kernels.VectorWarmup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that embeds a trainer keeps its JVM to itself: loading and training one in a fresh
 * JVM with default properties loads no class of the management API (so neither the platform MBean
 * server nor any MXBean is started), adds no compiler directive and leaves no file in the temporary
 * directory; with {@code -Dnnc.inlining=directive} it adds one directive, matching the trainer's
 * class only. The JVM's class-load log is the observable: everything logged before the marker class
 * {@link Trained} was loaded by compiling and training.
 */
class HostJvmTest {
    /** Loaded only once training is over: the class-load log's marker. */
    static final class Trained {
        static void mark() {}
    }

    /**
     * The embedding application: compiles and trains the playground sample for a few steps with
     * vector loops from the first call, initialises {@link VectorMath} (which waits for a pending
     * directive), loads the marker, then prints the JVM's compiler directives (which starts the
     * platform MBean server, after the marker).
     */
    public static void main(String[] args) throws Exception {
        VectorWarmup.scalarCalls = 0;
        CompiledModel m = Compilation.of(Samples.file("playground")).compiled(Backend.BYTECODE, 10);
        ParamInit.initialize(m, 1);
        for (int s = 0; s < 50; s++) m.trainStep(10);
        System.out.println("class=" + m.getClass().getName().replace('.', '/'));
        System.out.println("lanes=" + VectorMath.SPECIES.length());
        Trained.mark();
        String directives = directives();
        // opted in, the directive is added on a daemon thread: on a loaded machine it may come after training
        for (int wait = 0; wait < 300 && System.getProperty(InliningHint.PROPERTY) != null && !directives.contains("VectorMath"); wait++) {
            Thread.sleep(100);
            directives = directives();
        }
        System.out.println(directives);
    }

    private static String directives() throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "compilerDirectivesPrint", new Object[] {new String[0]}, new String[] {String[].class.getName()}));
    }

    private static String run(Path tmp, Path logs, String... properties) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp, "--add-modules", "jdk.incubator.vector",
                "-Xlog:class+load=info:file=" + logs.resolve("classes.log"), "-cp", System.getProperty("java.class.path")));
        cmd.addAll(List.of(properties));
        cmd.add(HostJvmTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** The classes the child JVM loaded before the marker: while compiling and training. */
    private static List<String> loadedWhileTraining(Path logs) throws IOException {
        List<String> loaded = Files.readAllLines(logs.resolve("classes.log")).stream()
                .map(l -> l.replaceFirst(".*\\] ", "").replaceFirst(" source:.*", "")).toList();
        int marker = loaded.indexOf(Trained.class.getName());
        assertTrue(marker > 0, "the marker class was not loaded");
        return loaded.subList(0, marker);
    }

    /** The management API's classes among {@code classes}: MXBeans, the MBean server, JMX. */
    private static List<String> management(List<String> classes) {
        return classes.stream().filter(c -> c.startsWith("java.lang.management.") || c.startsWith("javax.management.")
                || c.startsWith("com.sun.jmx.") || c.startsWith("sun.management.") || c.startsWith("com.sun.management.")).toList();
    }

    @Test
    void byDefaultNoMBeanServerNoDirectiveNoFile(@TempDir Path tmp, @TempDir Path logs) throws Exception {
        String out = run(tmp, logs);
        assertTrue(out.contains("lanes=8"), out);
        List<String> training = loadedWhileTraining(logs);
        assertTrue(training.stream().anyMatch(c -> c.startsWith("jdk.incubator.vector.")), "the vector loops ran");
        assertEquals(List.of(), management(training), "management classes loaded by compiling and training");
        assertFalse(out.contains("VectorMath"), "a directive was added:\n" + out);
        assertEquals(List.of(), files(tmp));
    }

    @Test
    void optedInTheDirectiveMatchesTheTrainerClassOnly(@TempDir Path tmp, @TempDir Path logs) throws Exception {
        String out = run(tmp, logs, "-Dnnc.inlining=directive");
        String cls = out.lines().filter(l -> l.startsWith("class=")).findFirst().orElseThrow().substring("class=".length());
        assertTrue(management(loadedWhileTraining(logs)).contains("java.lang.management.ManagementFactory"), "the opt-in uses the MBean server");
        List<String> matching = out.lines().map(String::strip).filter(l -> l.startsWith("matching:")).toList();
        assertEquals(List.of("matching: " + cls + "$*.*, " + cls + ".*", "matching: *.*"), matching,
                "one directive for the trainer and its nested classes, then HotSpot's default:\n" + out);
        assertTrue(out.contains("inline: +nnc/runtime/kernels/VectorMath.*"), out);
        assertEquals(List.of(), files(tmp));
    }
}
