package nnc.passes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import nnc.diag.SourceFile;
import nnc.driver.Compilation;
import nnc.emit.load.CodeGenerator;
import nnc.kir.KernelProgram;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.kernels.ParamInit;
import org.junit.jupiter.api.Assertions;

/** Test access to every sample's stages, and random batches to feed compiled models (shared by the middle-end tests). */
public final class SampleModules {
    private SampleModules() {}

    public static Path samplesDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve("samples/playground.nn"))) return p.resolve("samples");
        throw new IllegalStateException("samples/ not found above " + Path.of("").toAbsolutePath());
    }

    /** Names of every {@code samples/*.nn}, sorted. */
    public static List<String> names() {
        try (Stream<Path> files = Files.list(samplesDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nn"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compilation of {@code samples/NAME.nn} with its train block: built once per test JVM (see {@link #stagesOf}). */
    public static Compilation stages(String sample) { return stagesOf(samplesDir().resolve(sample + ".nn")); }

    /**
     * The compilation of the only model in {@code file}, shared by every test in this JVM that asks
     * for the same file: a {@link Compilation} is immutable and computes each stage once, so the
     * every-sample tests of different classes build each sample's Graph IR and Kernel IR once.
     * A file that changes between calls (a test's temporary file) is compiled again.
     */
    public static Compilation stagesOf(Path file) {
        SourceFile source = Compilation.read(file);
        return CACHE.computeIfAbsent(source.path() + "\n" + source.text(), k -> Compilation.of(source));
    }

    private static final Map<String, Compilation> CACHE = new ConcurrentHashMap<>();

    /** Fills the inputs and targets of {@code m} for {@code rows} rows from {@code rnd}. */
    public static void feed(CompiledModel m, int rows, SplittableRandom rnd) {
        for (TensorSpec t : m.info().tensors()) {
            if (t.role() != Role.INPUT && t.role() != Role.TARGET) continue;
            int n = t.elementCount(rows);
            if (t.dtype() == DType.I32) {
                int classes = m.info().withRole(Role.OUTPUT).stream().filter(o -> o.rank() >= 2).findFirst().map(o -> o.dim(o.rank() - 1)).orElse(2);
                for (int k = 0; k < n; k++) m.ints(t.name())[k] = rnd.nextInt(classes);
            } else {
                for (int k = 0; k < n; k++) m.floats(t.name())[k] = t.role() == Role.TARGET ? rnd.nextInt(2) : (float) rnd.nextGaussian();
            }
        }
    }

    /** {@code steps} training steps from seed-42 parameters on seeded random batches (the last one partial). */
    public static CompiledModel train(CompiledModel m, int batch, int steps) {
        ParamInit.initialize(m, 42);
        SplittableRandom rnd = new SplittableRandom(9);
        for (int s = 0; s < steps; s++) {
            int rows = s == steps - 1 ? batch / 2 + 1 : batch;
            feed(m, rows, rnd);
            m.trainStep(rows);
        }
        return m;
    }

    /**
     * Trains {@code candidate} with both emitters (four steps, then evaluate and predict on a fresh
     * batch, so every entry runs) and asserts every parameter, state, output and the loss is bitwise
     * those of {@code reference} run the same way by the Java emitter.
     */
    public static void assertBitwiseLike(KernelProgram reference, KernelProgram candidate, String what) {
        int batch = 8;
        CompiledModel ref = runAllEntries(CodeGenerator.JAVA, reference, batch, "Reference");
        for (CodeGenerator backend : CodeGenerator.values()) {
            CompiledModel m = runAllEntries(backend, candidate, batch, "Candidate" + backend);
            for (TensorSpec t : candidate.info().tensors()) {
                if (t.role() == Role.INPUT || t.role() == Role.TARGET) continue;
                int n = t.elementCount(batch);
                float[] a = Arrays.copyOf(ref.floats(t.name()), n), b = Arrays.copyOf(m.floats(t.name()), n);
                for (int k = 0; k < n; k++)
                    Assertions.assertEquals(Float.floatToIntBits(a[k]), Float.floatToIntBits(b[k]),
                            what + " " + backend + ": " + t.name() + "[" + k + "]");
            }
        }
    }

    private static CompiledModel runAllEntries(CodeGenerator backend, KernelProgram p, int batch, String suffix) {
        CompiledModel m = train(backend.build(p, "nnc.generated." + p.info().name() + suffix, batch), batch, 4);
        feed(m, batch, new SplittableRandom(3));
        m.evaluate(batch);
        m.predict(batch);
        return m;
    }
}
