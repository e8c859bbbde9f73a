package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import nnc.driver.Backend;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.kernels.VectorSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zero allocation per step must not depend on C2's type profiles. A call on a vector whose class C2
 * cannot see where it parses the call is virtual; only a profile can bind it, and when the profile is
 * thin the operation runs in the Vector API's allocating Java fallback for the rest of the run. That
 * happened to char_rnn's reduce-max (425,984 bytes per warm step in 4 of 8 JVMs, embedded with
 * {@code -Dnnc.inlining=directive}), whose loop folded as {@code lanes = lanes.max(value)}. With
 * {@code -XX:-UseTypeProfile} C2 has no profile at all, so such a call allocates in every run (that
 * loop: 1,876,416 bytes per step, 3 of 3 runs): each sample here trains in a JVM started that way and
 * must reach steps that allocate nothing (without profiles C2 takes a few rounds longer to compile
 * the step: 4–8 rounds of 400 steps measured). char_rnn: sums and maxima folded in lanes, a scan, the
 * one-hot lanes, tanh, exp, log; bigram: the zero-skipping product's lists of a transposed operand
 * (its loop of mask ORs allocated 697,344 bytes per step at batch 32 that way); resnet_s: convolutions,
 * batch norm's blocked sums. And a silu layer and layers of the activations computed in double halves
 * or with several exponentials, in a JVM with profiles ({@link #SILU}, {@link #ACTIVATIONS}): C2 must
 * not refuse a lane function for its node limit, or that function boxes its vectors.
 */
class ProfileFreeAllocationTest {
    private static final int BATCH = 16;

    /**
     * silu, which no sample uses: a layer's kernel computed silu(x) and, for the derivative, σ(x) — two
     * exponentials, past C2's node budget for one method (PrintInlining: the second σ failed to inline,
     * NodeCountInliningCutoff, in a JVM with type profiles; without them it fitted), so it boxed every
     * vector (6,553,600 bytes per 400 steps).
     * Simplify's silu-sigmoid rule writes silu(x) as x·σ(x), and CSE leaves one σ.
     */
    static final String SILU = """
            model Swish {
              input  x: f32[batch, 64]
              target y: i32[batch]
              h = silu(dense(x, 64))
              output logits = dense(h, 10)
              loss   cross_entropy(logits, y)
            }
            train {
              optimizer sgd(lr = 0.01)
              batch     16
            }
            """;

    /**
     * elu, selu, mish, sin, cos, log1p and expm1, which no sample uses, summed into one layer. Each of
     * them alone allocated per warm step while the kernels called {@code VectorMath} directly (bytes per
     * 400 steps of a one-function layer, 64 units, batch 16: elu 39,321,600, selu 52,428,800, mish
     * 9,804,800, sin and cos 36,044,800, log1p 16,384,000, expm1 13,107,200): C2 refused the calls past
     * its 18,000-node limit — the double halves of sin, cos, expm1 and log1p even alone in a loop. Through
     * {@code LaneCalls}' handles C2 inlines them after the parse, one at a time.
     */
    static final String ACTIVATIONS = """
            model Activations {
              input  x: f32[batch, 64]
              target y: i32[batch]
              h = elu(dense(x, 64)) + selu(dense(x, 64)) + mish(dense(x, 64)) + sin(dense(x, 64)) + cos(dense(x, 64)) + log1p(sigmoid(dense(x, 64))) + expm1(dense(x, 64) * 0.1)
              output logits = dense(h, 10)
              loss   cross_entropy(logits, y)
            }
            train {
              optimizer sgd(lr = 0.01)
              batch     16
            }
            """;

    /** Trains sample (or .nn file) {@code args[0]} with vector loops and prints the bytes the steps of each round allocated. */
    public static void main(String[] args) {
        Path file = args[0].endsWith(".nn") ? Path.of(args[0]) : SampleModules.samplesDir().resolve(args[0] + ".nn");
        CompiledModel m = Backend.BYTECODE.create(SampleModules.stagesOf(file).optimized(), BATCH, true);
        ParamInit.initialize(m, 7);
        SampleModules.feed(m, BATCH, new SplittableRandom(3));
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        StringBuilder rounds = new StringBuilder();
        long bytes = Long.MAX_VALUE;
        // warm-up rounds until C2 has compiled the step (longer on a busy machine), then one that allocates nothing
        for (int round = 0; round < 40 && bytes > 0; round++) {
            long before = bean.getThreadAllocatedBytes(id);
            for (int s = 0; s < 400; s++) m.trainStep(BATCH);
            bytes = bean.getThreadAllocatedBytes(id) - before;
            rounds.append(bytes).append(' ');
        }
        System.out.println("rounds: " + rounds.toString().trim());
        System.out.println("last=" + bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"char_rnn", "bigram", "resnet_s"})
    void warmStepsAllocateNothingWithoutTypeProfiles(String sample) throws IOException, InterruptedException {
        trainsWithoutAllocating(sample, "-XX:-UseTypeProfile");
    }

    /** The silu layer, in a JVM with its profiles (where C2 inlines more and the node budget ran out: see {@link #SILU}). */
    @Test
    void aSiluLayerAllocatesNothing(@TempDir Path tmp) throws IOException, InterruptedException {
        trainsWithoutAllocating(Files.writeString(tmp.resolve("silu.nn"), SILU).toString(), "-XX:+UseTypeProfile");
    }

    @Test
    void layersOfTheHeavierActivationsAllocateNothing(@TempDir Path tmp) throws IOException, InterruptedException {
        trainsWithoutAllocating(Files.writeString(tmp.resolve("activations.nn"), ACTIVATIONS).toString(), "-XX:+UseTypeProfile");
    }

    /** Forks a JVM (directive mode, with {@code flag}) that trains {@code model} and asserts that it reached steps that allocate nothing. */
    private static void trainsWithoutAllocating(String model, String flag) throws IOException, InterruptedException {
        assumeTrue(VectorSupport.AVAILABLE, "the vector loops need jdk.incubator.vector");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, flag, "--add-modules", "jdk.incubator.vector", "-Dnnc.inlining=directive",
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), ProfileFreeAllocationTest.class.getName(), model);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("last=0\n") || out.contains("last=0\r\n"), model + " allocated in every round of 400 warm steps: " + out);
    }
}
