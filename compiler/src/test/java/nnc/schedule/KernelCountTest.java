package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.kir.KExpr;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fusion guarded by counting kernels: each sample's entries schedule to exactly the kernels
 * recorded here (a change in fusion shows up as a changed count, to be justified and updated),
 * and an MLP's forward layer is one matmul plus one pointwise kernel (bias and activation).
 */
class KernelCountTest {
    /** train, evaluate, predict kernel counts per sample. */
    static final Map<String, List<Integer>> COUNTS = Map.ofEntries(
            // embeddings as a gather fused into its consumer and a scatter-add (were one_hot @ W: 41/11/6, 41/11/6, 55/14/9)
            Map.entry("bigram", List.of(28, 10, 5)),
            Map.entry("majority", List.of(27, 9, 4)),
            Map.entry("last_step", List.of(35, 13, 8)),
            Map.entry("char_rnn", List.of(33, 14, 9)),
            Map.entry("sentiment", List.of(42, 17, 12)),
            Map.entry("tiny_transformer", List.of(116, 39, 34)),
            Map.entry("fashion_mlp", List.of(21, 7, 2)),
            Map.entry("fashion_mlp_large", List.of(26, 8, 3)),
            Map.entry("housing", List.of(10, 4, 1)),
            Map.entry("playground", List.of(15, 5, 2)),
            Map.entry("worked", List.of(13, 3, 2)),
            Map.entry("logistic", List.of(12, 3, 1)),
            Map.entry("softmax", List.of(16, 7, 5)),
            Map.entry("regularised", List.of(60, 17, 5)),
            Map.entry("resnet_s", List.of(102, 28, 23)),
            Map.entry("lenet", List.of(51, 14, 9)));

    static List<String> samples() { return SampleModules.names(); }

    @ParameterizedTest
    @MethodSource("samples")
    void kernelCountsAreAsRecorded(String sample) {
        KernelProgram p = Scheduler.schedule(SampleModules.stages(sample).optimized());
        assertEquals(COUNTS.get(sample), List.of(p.kernelCount("train"), p.kernelCount("evaluate"), p.kernelCount("predict")),
                sample + " (train, evaluate, predict)\n" + KernelPrinter.print(p));
    }

    /**
     * An embedding is a gather of its table's rows (no GEMM against a one-hot [*, vocab] matrix) and
     * its gradient one scatter-add into [vocab, dim] (which no GEMM writes): bigram's train step has 6 GEMMs (its two dense
     * layers), not 8, and no kernel compares the token ids with a vocabulary axis.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"bigram", "majority", "last_step"})
    void anEmbeddingIsAGatherAndItsGradientAScatterAdd(String sample) {
        KernelProgram p = Scheduler.schedule(SampleModules.stages(sample).optimized());
        List<Kernel> train = p.entry("train").kernels();
        String listing = KernelPrinter.print(p);
        List<Kernel.ScatterAdd> scatters = train.stream().filter(k -> k instanceof Kernel.ScatterAdd).map(k -> (Kernel.ScatterAdd) k).toList();
        assertEquals(1, scatters.size(), listing);
        assertEquals("tokens", scatters.get(0).indices().name());
        nnc.types.Shape table = p.buffers().stream().filter(b -> b.name().equals("e.W")).findFirst().orElseThrow().shape();
        assertEquals(table, nnc.types.Shape.of(scatters.get(0).rows(), scatters.get(0).cols()), listing);
        for (Kernel k : train) {
            String line = KernelPrinter.line(k);
            org.junit.jupiter.api.Assertions.assertFalse(line.contains("one_hot(b0"), "a one-hot of the token ids: " + line);
            if (k instanceof Kernel.MatMul m) // forward one_hot @ e.W, backward one_hotᵀ @ g → [vocab, dim]
                org.junit.jupiter.api.Assertions.assertFalse(m.b().name().equals("e.W") || m.out().shape().equals(table),
                        "a GEMM for the embedding: " + line);
        }
        assertEquals(1, train.stream().filter(k -> KernelPrinter.line(k).contains("gather(b2")).count(), listing);
        if (sample.equals("bigram")) assertEquals(6, train.stream().filter(k -> k instanceof Kernel.MatMul).count(), listing);
    }

    @Test
    void anMlpForwardLayerIsOneKernel() {
        KernelProgram p = Scheduler.schedule(SampleModules.stages("fashion_mlp").optimized());
        List<Kernel> predict = p.entry("predict").kernels();
        assertEquals(2, predict.size(), KernelPrinter.print(p));
        // relu(x·W1 + b1): the product, then bias and activation in its epilogue
        Kernel.MatMul hidden = assertInstanceOf(Kernel.MatMul.class, predict.get(0));
        KExpr.Unary relu = assertInstanceOf(KExpr.Unary.class, hidden.epilogue());
        assertEquals(nnc.ir.UnaryFn.RELU, relu.fn());
        KExpr.Binary bias = assertInstanceOf(KExpr.Binary.class, relu.x());
        assertEquals(nnc.ir.BinaryFn.ADD, bias.fn());
        // logits = h·W2 + b2
        Kernel.MatMul logits = assertInstanceOf(Kernel.MatMul.class, predict.get(1));
        assertEquals("logits", logits.out().name());
        assertInstanceOf(KExpr.Binary.class, logits.epilogue());
    }
}
