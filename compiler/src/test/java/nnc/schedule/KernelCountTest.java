package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Map;
import nnc.driver.Backend;
import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelAccess;
import nnc.kir.KernelPrinter;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import nnc.runtime.Role;
import nnc.types.Shape;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fusion guarded by counting kernels: each sample's entries schedule to exactly the kernels
 * recorded here (a change in fusion shows up as a changed count, to be justified and updated),
 * and an MLP's forward layer is one matmul plus one pointwise kernel (bias and activation).
 */
class KernelCountTest {
    /** train, evaluate, predict kernel counts per sample. */
    static final Map<String, List<Integer>> COUNTS = Map.ofEntries(
            // epilogues of products and reductions (optimiser updates, bias gradients, the loss's division) and no
            // gradient through softmax's shift: fashion_mlp was 21/7/2, resnet_s 102/28/23, tiny_transformer 116/39/34 (91/36/32 before erf had lanes: gelu's kernels now merge with their neighbours), resnet_s 70/27/23 before
            // a value read twice by one consumer (t·t) counted as one reader for recomputation;
            // embeddings as a gather fused into its consumer and a scatter-add (were one_hot @ W: 41/11/6, 41/11/6, 55/14/9)
            Map.entry("bigram", List.of(19, 9, 5)),
            Map.entry("majority", List.of(15, 7, 3)),
            // last(h) as the slice h[:, -1] (was a masked sum over time): last_step 23/10/6, sentiment 31/16/12
            Map.entry("last_step", List.of(22, 10, 6)),
            Map.entry("char_rnn", List.of(25, 13, 9)),
            // LSTM and GRU gates as slices read in place (were sums against four gate masks, one kernel each:
            // sentiment 30/16/12, padded_bilstm 80/36/32)
            Map.entry("sentiment", List.of(26, 12, 8)),
            // four loops (two layers, two directions) with a padding mask, each reading a mask slice per step
            Map.entry("padded_bilstm", List.of(76, 32, 28)),
            // attention's head split and merge copies folded into its products' strides (matmul-views; were 89/36/32)
            Map.entry("tiny_transformer", List.of(81, 32, 28)),
            Map.entry("fashion_mlp", List.of(10, 6, 2)),
            Map.entry("fashion_mlp_large", List.of(13, 7, 3)),
            Map.entry("housing", List.of(6, 2, 1)),
            Map.entry("playground", List.of(10, 4, 2)),
            Map.entry("worked", List.of(9, 3, 2)),
            Map.entry("logistic", List.of(9, 2, 1)),
            Map.entry("softmax", List.of(10, 6, 5)),
            Map.entry("regularised", List.of(37, 15, 4)),
            // convolutions without bias (batch norm follows): no bias-gradient sums, 70 -> 68
            Map.entry("fashion_cnn_bn", List.of(68, 18, 14)),
            Map.entry("resnet_s", List.of(70, 24, 20)),
            Map.entry("lenet", List.of(35, 13, 9)));

    static List<String> samples() { return SampleModules.names(); }

    @ParameterizedTest
    @MethodSource("samples")
    void kernelCountsAreAsRecorded(String sample) {
        KernelProgram p = Backend.program(SampleModules.stages(sample).optimized());
        assertEquals(COUNTS.get(sample), List.of(p.kernelCount("train"), p.kernelCount("evaluate"), p.kernelCount("predict")),
                sample + " (train, evaluate, predict)\n" + KernelPrinter.print(p));
    }

    /**
     * An embedding is a gather of its table's rows (no GEMM against a one-hot [*, vocab] matrix) and
     * its gradient one scatter-add into [vocab, dim] (which no GEMM writes): bigram's train step has 6 GEMMs (its two dense
     * layers), not 8, and no kernel compares the token ids with a vocabulary axis.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bigram", "majority", "last_step"})
    void anEmbeddingIsAGatherAndItsGradientAScatterAdd(String sample) {
        KernelProgram p = Backend.program(SampleModules.stages(sample).optimized());
        List<Kernel> train = p.entry("train").kernels();
        String listing = KernelPrinter.print(p);
        List<Kernel.ScatterAdd> scatters = train.stream().filter(k -> k instanceof Kernel.ScatterAdd).map(k -> (Kernel.ScatterAdd) k).toList();
        assertEquals(1, scatters.size(), listing);
        assertEquals("tokens", scatters.get(0).indices().name());
        Shape table = p.buffers().stream().filter(b -> b.name().equals("e.W")).findFirst().orElseThrow().shape();
        assertEquals(table, Shape.of(scatters.get(0).rows(), scatters.get(0).cols()), listing);
        for (Kernel k : train) {
            String line = KernelPrinter.line(k);
            Assertions.assertFalse(line.contains("one_hot(b0"), "a one-hot of the token ids: " + line);
            if (product(k) instanceof Kernel.MatMul m) // forward one_hot @ e.W, backward one_hotᵀ @ g → [vocab, dim]
                Assertions.assertFalse(m.b().name().equals("e.W") || m.out().shape().equals(table),
                        "a GEMM for the embedding: " + line);
        }
        assertEquals(1, train.stream().filter(k -> KernelPrinter.line(k).contains("gather(b2")).count(), listing);
        if (sample.equals("bigram")) assertEquals(6, train.stream().filter(k -> product(k) != null).count(), listing);
    }

    /** The product a kernel runs: itself, or the head of its epilogue; else null. */
    static Kernel.MatMul product(Kernel k) {
        if (k instanceof Kernel.WithEpilogue w) k = w.head();
        return k instanceof Kernel.MatMul m ? m : null;
    }

    /**
     * The budget: a dense layer's whole train step (forward, backward, Adam) is at most 3
     * kernels, plus the loss's. Each layer has its forward product, its weight-gradient product and
     * (but the first) its input-gradient product, and nothing else: the bias and activation run in
     * the forward epilogue, the activation's derivative and the bias gradient (summed in the same
     * loop) and the bias's Adam update in the epilogue of the input-gradient product of the layer
     * above (or of the softmax gradient's kernel), the weight's update in its gradient product's
     * epilogue. The loss (softmax cross-entropy) takes 5: the row max, the sum of exponentials, the
     * picked logit, the mean (with Adam's scalar bias corrections), and its gradient.
     */
    @ParameterizedTest
    @CsvSource({"fashion_mlp, 2", "mlp_784_512_512_10, 3"})
    void aDenseLayerTrainsInAtMostThreeKernelsPlusTheLoss(String model, int layers) {
        var stages = model.equals("fashion_mlp") ? SampleModules.stages(model)
                : SampleModules.stagesOf(SampleModules.samplesDir().getParent().resolve("compiler/src/test/resources/memory/" + model + ".nn"));
        KernelProgram p = Backend.program(stages.optimized());
        List<Kernel> train = p.entry("train").kernels();
        String listing = KernelPrinter.print(p);
        assertEquals(3 * layers - 1, train.stream().filter(k -> product(k) != null).count(), listing);
        Assertions.assertTrue(train.size() <= 3 * layers + 5, train.size() + " kernels\n" + listing);
        // every parameter is updated in the epilogue of the kernel computing its gradient
        for (Buffer b : p.buffers())
            if (b.role() == Role.PARAM)
                Assertions.assertTrue(train.stream().anyMatch(k -> k instanceof Kernel.WithEpilogue w
                        && w.stages().stream().anyMatch(s -> KernelAccess.writes(s).contains(b))), b + " is updated on its own\n" + listing);
    }

    @Test
    void anMlpForwardLayerIsOneKernel() {
        KernelProgram p = Backend.program(SampleModules.stages("fashion_mlp").optimized());
        List<Kernel> predict = p.entry("predict").kernels();
        assertEquals(2, predict.size(), KernelPrinter.print(p));
        // relu(x·W1 + b1): the product, then bias and activation in its epilogue
        Kernel.WithEpilogue hidden = assertInstanceOf(Kernel.WithEpilogue.class, predict.get(0));
        assertInstanceOf(Kernel.MatMul.class, hidden.head());
        assertEquals(1, hidden.stages().size());
        KExpr.Unary relu = assertInstanceOf(KExpr.Unary.class, assertInstanceOf(Kernel.Pointwise.class, hidden.stages().get(0)).value());
        assertEquals(UnaryFn.RELU, relu.fn());
        KExpr.Binary bias = assertInstanceOf(KExpr.Binary.class, relu.x());
        assertEquals(BinaryFn.ADD, bias.fn());
        // logits = h·W2 + b2
        Kernel.WithEpilogue logits = assertInstanceOf(Kernel.WithEpilogue.class, predict.get(1));
        assertEquals("logits", logits.out().name());
        assertInstanceOf(KExpr.Binary.class, assertInstanceOf(Kernel.Pointwise.class, logits.stages().get(0)).value());
    }
}
