package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
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
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.kernels.VectorMath;
import nnc.runtime.kernels.VectorWarmup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that embeds a trainer keeps its JVM to itself: loading and training one in a fresh
 * JVM with default properties starts no platform MBean server and adds no compiler directive; with
 * {@code -Dnnc.inlining=directive} it adds one, matching the trainer's class only.
 */
class HostJvmTest {
    /**
     * The embedding application: compiles and trains the playground sample for a few steps with
     * vector loops from the first call, initialises {@link VectorMath} (which waits for a pending
     * directive), then prints whether the platform MBean server exists and, after that, the JVM's
     * compiler directives.
     */
    public static void main(String[] args) throws Exception {
        VectorWarmup.scalarCalls = 0;
        CompiledModel m = Compilation.of(Samples.file("playground")).compiled(Backend.BYTECODE, 10);
        ParamInit.initialize(m, 1);
        for (int s = 0; s < 50; s++) m.trainStep(10);
        System.out.println("class=" + m.getClass().getName().replace('.', '/'));
        System.out.println("lanes=" + VectorMath.SPECIES.length());
        Field server = ManagementFactory.class.getDeclaredField("platformMBeanServer");
        server.setAccessible(true);
        System.out.println("mbean-server=" + (server.get(null) != null));
        Object directives = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "compilerDirectivesPrint", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        System.out.println(directives);
    }

    private static String run(Path tmp, String... properties) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp, "--add-modules", "jdk.incubator.vector",
                "--add-opens", "java.management/java.lang.management=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
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

    @Test
    void byDefaultNoMBeanServerNoDirectiveNoFile(@TempDir Path tmp) throws Exception {
        String out = run(tmp);
        assertTrue(out.contains("lanes=8"), out);
        assertTrue(out.contains("mbean-server=false"), "training started the platform MBean server:\n" + out);
        assertFalse(out.contains("VectorMath"), "a directive was added:\n" + out);
        assertEquals(List.of(), files(tmp));
    }

    @Test
    void optedInTheDirectiveMatchesTheTrainerClassOnly(@TempDir Path tmp) throws Exception {
        String out = run(tmp, "-Dnnc.inlining=directive");
        String cls = out.lines().filter(l -> l.startsWith("class=")).findFirst().orElseThrow().substring("class=".length());
        assertTrue(out.contains("mbean-server=true"), out);
        List<String> matching = out.lines().map(String::strip).filter(l -> l.startsWith("matching:")).toList();
        assertEquals(List.of("matching: " + cls + "$*.*, " + cls + ".*", "matching: *.*"), matching,
                "one directive for the trainer and its nested classes, then HotSpot's default:\n" + out);
        assertTrue(out.contains("inline: +nnc/runtime/kernels/VectorMath.*"), out);
        assertEquals(List.of(), files(tmp));
    }
}
