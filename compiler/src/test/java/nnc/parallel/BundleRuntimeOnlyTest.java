package nnc.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.parallel.ModelBundle;
import nnc.runtime.parallel.SplitEntries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link ModelBundle} survives Java serialization and instantiates in a JVM whose class path
 * holds nnc-runtime and no compiler class, training there bitwise as in the compiling JVM.
 */
class BundleRuntimeOnlyTest {
    static final int BATCH = 12;
    static final int STEPS = 3;

    @Test
    void aSerializedBundleTrainsInARuntimeOnlyJvmBitwiseAsHere(@TempDir Path dir) throws Exception {
        Compilation c = SampleModules.stages("lenet");
        List<String> expected = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Backend b : List.of(Backend.JAVA, Backend.BYTECODE)) {
            ModelBundle bundle = c.bundle(b, BATCH, true);
            Path file = dir.resolve(b.text() + ".bundle");
            Files.write(file, serialize(bundle));
            files.add(file);
            expected.add(train(deserialize(Files.readAllBytes(file)).instantiate()));
        }
        assertEquals(expected.get(0), expected.get(1), "java and bytecode bundles train alike");

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", location(SplitEntries.class) + File.pathSeparator + location(BundleRuntimeOnlyTest.class),
                Main.class.getName()));
        for (Path f : files) cmd.add(f.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals(expected, out.lines().filter(l -> l.startsWith("crc=")).toList(), out);
        assertTrue(!location(SplitEntries.class).equals(location(Compilation.class)), "the runtime is apart from the compiler on this class path");
    }

    /** Runs in the runtime-only JVM: each argument a serialized bundle; prints each one's {@link #train} line. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            try {
                Class.forName("nnc.driver.Compilation");
                throw new IllegalStateException("the compiler is on the class path");
            } catch (ClassNotFoundException expected) {
                // as it should be
            }
            for (String a : args) System.out.println(train(deserialize(Files.readAllBytes(Path.of(a))).instantiate()));
        }
    }

    /** Seed-7 parameters, {@link #STEPS} split steps on seeded random rows; a CRC of every trained tensor and the loss. */
    static String train(DataParallelModel dp) {
        CompiledModel m = dp.model();
        ParamInit.initialize(m, 7);
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = new float[dp.exchangeLength()];
        for (int s = 0; s < STEPS; s++) {
            for (TensorSpec t : m.info().tensors()) {
                if (t.role() != Role.INPUT && t.role() != Role.TARGET) continue;
                int n = t.elementCount(BATCH), at = m.offset(t.name());
                if (t.dtype() == DType.I32) for (int k = 0; k < n; k++) m.ints(t.name())[at + k] = rnd.nextInt(10);
                else for (int k = 0; k < n; k++) m.floats(t.name())[at + k] = (float) rnd.nextGaussian();
            }
            dp.gradientStep(BATCH, 1f, x, 0);
            dp.applyStep(x, 0);
        }
        CRC32 crc = new CRC32();
        for (TensorSpec t : m.info().trained()) {
            float[] f = m.floats(t.name());
            for (int k = 0, at = m.offset(t.name()); k < t.elements(BATCH); k++) crc.update(Float.floatToRawIntBits(f[at + k]));
        }
        return "crc=" + Long.toHexString(crc.getValue()) + " loss=" + m.loss();
    }

    static byte[] serialize(ModelBundle b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) { out.writeObject(b); }
        return bytes.toByteArray();
    }

    static ModelBundle deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) { return (ModelBundle) in.readObject(); }
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
