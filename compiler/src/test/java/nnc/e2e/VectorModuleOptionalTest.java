package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import nnc.driver.Compilation;
import nnc.emit.ModelPlan;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.InMemoryJavaCompiler;
import nnc.emit.java.JavaSourceEmitter;
import nnc.emit.load.CodeGenerator;
import nnc.kir.KernelProgram;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.kernels.VectorSupport;
import nnc.runtime.kernels.VectorWarmup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated {@code --simd on} trainers of both back ends, compiled here, load and train in a JVM
 * without {@code jdk.incubator.vector} (taking their scalar twins, never loading a Vector API class
 * or their {@code Simd} classes, after one notice on standard error) and end with the parameters,
 * bit for bit, of a JVM with the module that runs their vector loops from the first call.
 */
class VectorModuleOptionalTest {
    private static final List<String> SAMPLES = List.of("fashion_mlp", "lenet", "tiny_transformer");
    private static final int BATCH = 16, STEPS = 8;

    /**
     * The child JVM: for each generated class named in {@code args}, initialises its parameters
     * (seed 1), trains {@link #STEPS} steps on seeded inputs and prints a checksum of every trained
     * tensor's bits. With the Vector API, vector loops run from the first call.
     */
    public static void main(String[] args) throws Exception {
        if (VectorSupport.AVAILABLE) VectorWarmup.scalarCalls = 0;
        for (String name : args) {
            CompiledModel m = CodeGenerator.instantiate(Class.forName(name), BATCH);
            ParamInit.initialize(m, 1);
            SplittableRandom r = new SplittableRandom(7);
            for (int step = 0; step < STEPS; step++) {
                for (TensorSpec t : m.info().tensors()) {
                    if (t.role() != Role.INPUT && t.role() != Role.TARGET) continue;
                    int n = (int) t.elements(BATCH), at = m.offset(t.name());
                    if (t.dtype() == DType.F32) {
                        float[] f = m.floats(t.name());
                        for (int i = 0; i < n; i++) f[at + i] = (float) r.nextGaussian();
                    } else {
                        int[] v = m.ints(t.name());
                        for (int i = 0; i < n; i++) v[at + i] = r.nextInt(2);
                    }
                }
                m.trainStep(BATCH);
            }
            CRC32 crc = new CRC32();
            for (TensorSpec t : m.info().trained()) {
                float[] f = m.floats(t.name());
                for (int i = 0, at = m.offset(t.name()); i < t.elements(BATCH); i++) crc.update(Float.floatToRawIntBits(f[at + i]));
            }
            System.out.println(name + " loss=" + m.loss() + " crc=" + Long.toHexString(crc.getValue()));
        }
    }

    @Test
    void trainersRunWithoutTheModuleBitwiseAsWithIt(@TempDir Path dir) throws Exception {
        List<String> classes = new ArrayList<>();
        for (String sample : SAMPLES) {
            KernelProgram program = Compilation.of(Samples.file(sample)).program();
            String name = "V" + sample.replace("_", "");
            write(dir, BytecodeEmitter.emitAll(ModelPlan.of(program), "gen/" + name + "Bytecode", true));
            Map<String, byte[]> java = InMemoryJavaCompiler.compileToBytes("gen." + name + "Java", JavaSourceEmitter.emit(program, "gen", name + "Java", true));
            java.forEach((binary, bytes) -> write(dir, Map.of(binary.replace('.', '/'), bytes)));
            classes.add("gen." + name + "Bytecode");
            classes.add("gen." + name + "Java");
        }
        Run with = run(dir, classes, true);
        Run without = run(dir, classes, false);
        assertEquals(with.lines(), without.lines(), "trained parameters with and without jdk.incubator.vector");
        assertEquals(classes.size(), with.lines().size(), with.output());
        assertTrue(with.loaded().stream().anyMatch(c -> c.endsWith("$Simd")), "the vector loops ran with the module");
        assertEquals(List.of(), without.loaded().stream().filter(c -> c.endsWith("$Simd") || c.startsWith("jdk.incubator.vector")).toList(),
                "classes loaded without the module");
        assertEquals(1, without.output().lines().filter(l -> l.startsWith("nnc: the Vector API is not enabled")).count(), without.output());
        assertFalse(with.output().contains("nnc: the Vector API"), with.output());
    }

    private record Run(String output, List<String> lines, List<String> loaded) {}

    private static Run run(Path dir, List<String> classes, boolean module) throws IOException, InterruptedException {
        Path log = dir.resolve(module ? "with.log" : "without.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (module) cmd.addAll(List.of("--add-modules", VectorSupport.MODULE));
        cmd.addAll(List.of("-Xlog:class+load=info:file=" + log, "-cp", dir + File.pathSeparator + System.getProperty("java.class.path"),
                VectorModuleOptionalTest.class.getName()));
        cmd.addAll(classes);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("gen.")).toList();
        List<String> loaded = Files.readAllLines(log).stream().map(l -> l.replaceFirst(".*\\] ", "").replaceFirst(" source:.*", "")).toList();
        return new Run(out, lines, loaded);
    }

    private static void write(Path dir, Map<String, byte[]> classFiles) {
        classFiles.forEach((internal, bytes) -> {
            try {
                Path f = dir.resolve(internal + ".class");
                Files.createDirectories(f.getParent());
                Files.write(f, bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
