package nnc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import nnc.autodiff.Autodiff;
import nnc.builtins.AttentionBuiltins;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.ir.Graph;
import nnc.ir.GraphBuilder;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.passes.SampleModules;
import nnc.runtime.CompiledModel;
import nnc.runtime.Init;
import nnc.types.Shape;
import nnc.types.TensorType;
import org.junit.jupiter.api.Test;

/** Attention (DSL.md §11): the causal mask's exact zeros, rebinding and layer naming, and the library layers. */
class AttentionTest {
    /** softmax(x, mask = causal) over [2, 3, 5, 5] scores, with its gradient, on every back end. */
    static IrModule causalModule() {
        GraphBuilder b = new GraphBuilder();
        Node x = b.node(new Op.Param("x", TensorType.f32(Shape.of(2, 3, 5, 5)), Init.ZEROS));
        Node p = AttentionBuiltins.causalSoftmax(b, x);
        Node c = b.node(new Op.Param("c", TensorType.f32(p.shape()), Init.ZEROS));
        Node loss = b.sumAll(b.mul(c, p));
        Node grad = Autodiff.gradients(b, loss, List.of(x)).get(x);
        Map<String, Node> outputs = new LinkedHashMap<>();
        outputs.put(IrModule.LOSS, loss);
        outputs.put("p", p);
        outputs.put("grad", grad);
        Graph g = new Graph("train", outputs, Map.of());
        return new IrModule("causal", g, new Graph("evaluate", Map.of(IrModule.LOSS, loss), Map.of()), g, IrModule.LOSS, List.of());
    }

    @Test
    void causalSoftmaxGivesExactZerosAboveTheDiagonalAndZeroGradientsThere() {
        for (Backend backend : Backend.values())
            for (boolean simd : new boolean[] {false, true}) {
                CompiledModel m = backend.create(causalModule(), 1, simd);
                SplittableRandom rnd = new SplittableRandom(5);
                float[] x = m.floats("x"), c = m.floats("c");
                // huge scores above the diagonal (they must not win the row maximum or overflow) and ordinary ones below
                for (int k = 0; k < x.length; k++) {
                    int i = k / 5 % 5, j = k % 5;
                    x[k] = j > i ? (k % 2 == 0 ? 1e30f : 80f) : (float) (4 * rnd.nextDouble() - 2);
                    c[k] = (float) rnd.nextDouble();
                }
                m.trainStep(1);
                float[] p = m.floats("p"), g = m.floats("grad");
                String what = backend + (simd ? " simd" : " scalar");
                for (int row = 0; row < 2 * 3 * 5; row++) {
                    int i = row % 5;
                    double sum = 0;
                    for (int j = 0; j < 5; j++) {
                        int k = row * 5 + j;
                        assertTrue(Float.isFinite(p[k]) && Float.isFinite(g[k]), what + ": finite at " + k);
                        if (j > i) {
                            assertEquals(0f, p[k], what + ": probability above the diagonal at " + k);
                            assertEquals(0f, g[k], what + ": gradient above the diagonal at " + k);
                        } else {
                            assertTrue(p[k] > 0, what + ": probability on or below the diagonal at " + k);
                        }
                        sum += p[k];
                    }
                    assertEquals(1, sum, 1e-6, what + ": row " + row + " sums to 1");
                }
                assertEquals(1f, p[0], what + ": the first row attends only to itself");
            }
    }

    static final String REBOUND = """
            fn twice(z: f32[batch, d]) -> f32[batch, d] {
              q = relu(dense(z, d))
              q = relu(dense(q, d))
              return q
            }
            model Rebound {
              input  x: f32[batch, 4]
              target y: i32[batch]
              h = relu(dense(x, 8))
              h = relu(dense(h, 8))
              h = twice(h)
              h_3 = h
              h = relu(dense(h_3, 8))
              output logits = dense(h, 3)
              loss   cross_entropy(logits, y)
            }
            """;

    @Test
    void aReboundNameSeesItsNewestValueAndEachBindingOwnsItsLayers() {
        Compilation rebound = Compilation.of(new SourceFile("rebound.nn", REBOUND));
        var m = rebound.model();
        List<String> names = m.params().stream().map(p -> p.name() + " " + p.type()).toList();
        assertEquals(List.of("h.W f32[4,8]", "h.b f32[8]", "h_2.W f32[8,8]", "h_2.b f32[8]",
                "h_4.q.W f32[8,8]", "h_4.q.b f32[8]", "h_4.q_2.W f32[8,8]", "h_4.q_2.b f32[8]", "h_5.W f32[8,8]", "h_5.b f32[8]",
                "logits.W f32[8,3]", "logits.b f32[3]"), names);
        // the model declares h_3 itself, so the third binding of h is h_4 and the fourth h_5.
        // logits reads the newest h, through every layer: h, h_2, the fn's q and q_2, h_5, then its own (an older h would leave some dead)
        IrModule lowered = rebound.lowered();
        long matmuls = lowered.evaluate().nodes().stream().filter(n -> n.op() instanceof Op.MatMul).count();
        assertEquals(6, matmuls);
    }

    static final String BY_HAND = """
            fn attention(x: f32[batch, time, d], heads: int) -> f32[batch, time, d] {
              q = dense(x, d)  k = dense(x, d)  v = dense(x, d)
              a = softmax(split_heads(q, heads) @ transpose(split_heads(k, heads)) / sqrt(d / heads), mask = causal)
              return dense(merge_heads(a @ split_heads(v, heads)), d)
            }
            model M {
              input  tokens: i32[batch, time]
              target next:   i32[batch, time]
              e = embedding(tokens, vocab = 10, dim = 8)
              h = ATTENTION
              output logits = dense(h, 10)
              loss   cross_entropy(logits, next)
            }
            """;

    /** multi_head_attention(x, heads, causal = true) computes what DSL.md's hand-written fn computes, bit for bit. */
    @Test
    void libraryAttentionIsTheHandWrittenFn() {
        float[] losses = new float[2];
        String[] forms = {"attention(e, heads = 2)", "multi_head_attention(e, heads = 2, causal = true)"};
        for (int f = 0; f < 2; f++) {
            Compilation byHand = Compilation.of(new SourceFile("m.nn", BY_HAND.replace("ATTENTION", forms[f])), Compilation.Options.DEFAULT.withTime(5L));
            var m = byHand.model();
            IrModule module = byHand.optimized();
            CompiledModel c = Backend.INTERP.create(module, 4, false);
            SplittableRandom rnd = new SplittableRandom(11);
            for (var p : m.params()) { // the same values under either name: h.W is the library's h.out.W
                String canonical = p.name().replace("h.out.", "h.");
                SplittableRandom r = new SplittableRandom(canonical.hashCode());
                float[] x = c.floats(p.name());
                for (int k = 0; k < x.length; k++) x[k] = (float) (r.nextDouble() - 0.5);
            }
            SampleModules.feed(c, 4, rnd);
            c.evaluate(4);
            losses[f] = c.loss();
        }
        assertTrue(Float.isFinite(losses[0]) && losses[0] > 0, "loss " + losses[0]);
        assertEquals(Float.floatToIntBits(losses[0]), Float.floatToIntBits(losses[1]), losses[0] + " vs " + losses[1]);
    }

    static final String LIBRARY = """
            model Library {
              input  tokens: i32[batch, time]
              target next:   i32[batch, time]
              e = embedding(tokens, vocab = 10, dim = 8)
              a = multi_head_attention(e, heads = 2, causal = true)
              h = transformer_block(e + a, heads = 4, hidden = 16)
              output logits = dense(h, 10)
              loss   cross_entropy(logits, next)
            }
            """;

    @Test
    void libraryLayersOwnNamedParametersAndTrainAlikeOnEveryBackend() {
        Compilation library = Compilation.of(new SourceFile("library.nn", LIBRARY), Compilation.Options.DEFAULT.withTime(6L));
        var m = library.model();
        List<String> names = m.params().stream().map(p -> p.name()).toList();
        assertEquals(List.of("e.W", "a.q.W", "a.q.b", "a.k.W", "a.k.b", "a.v.W", "a.v.b", "a.out.W", "a.out.b",
                "h.attention.q.W", "h.attention.q.b", "h.attention.k.W", "h.attention.k.b", "h.attention.v.W", "h.attention.v.b",
                "h.attention.out.W", "h.attention.out.b", "h.norm1.gamma", "h.norm1.beta", "h.ff1.W", "h.ff1.b", "h.ff2.W", "h.ff2.b",
                "h.norm2.gamma", "h.norm2.beta", "logits.W", "logits.b"), names);
        IrModule module = library.optimized();
        CompiledModel interp = SampleModules.train(Backend.INTERP.create(module, 8, false), 8, 3);
        CompiledModel bytecode = SampleModules.train(Backend.BYTECODE.create(module, 8, true), 8, 3);
        float[] i = interp.floats("h.attention.q.W"), b = bytecode.floats("h.attention.q.W");
        for (int k = 0; k < i.length; k++) assertEquals(i[k], b[k], 1e-5, "h.attention.q.W[" + k + "]");
        assertTrue(Float.isFinite(bytecode.floats(IrModule.LOSS)[0]));
    }
}
