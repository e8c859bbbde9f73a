package nnc.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.diag.CompileError;
import nnc.diag.SourceFile;
import nnc.driver.Compilation;
import nnc.ir.Node;
import nnc.ir.Op;
import org.junit.jupiter.api.Test;

/** User fns (DSL.md §7): symbolic dims bound per call, int parameters, parameter naming per call site, expansion. */
class FnCheckTest {
    static final String PROGRAM = """
            fn block(z: f32[batch, d], k: int) -> f32[batch, d] {
              q = relu(dense(z, k))
              return z + dense(q, d)
            }
            model M {
              input  x: f32[batch, 8]
              target y: i32[batch]
              a = block(x, 3)
              u = dense(a, 4)
              h = block(block(u, k = 2), 5)
              output logits = dense(h, 3)
              loss   cross_entropy(logits, y)
            }
            """;

    static Map<String, String> paramShapes(CheckedModel m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (CheckedModel.Param p : m.params()) out.put(p.name(), p.type().toString());
        return out;
    }

    @Test
    void eachCallBindsItsOwnDimensionsAndOwnsItsParameters() {
        CheckedModel m = CheckerTest.model(PROGRAM);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("a.q.W", "f32[8,3]");          // a = block(x, 3): d = 8, k = 3; the binding q inside
        expected.put("a.q.b", "f32[3]");
        expected.put("a.W", "f32[3,8]");            // the returned expression's single layer call
        expected.put("a.b", "f32[8]");
        expected.put("u.W", "f32[8,4]");
        expected.put("u.b", "f32[4]");
        expected.put("h.block1.q.W", "f32[4,2]");   // the inner call: d = 4, k = 2
        expected.put("h.block1.q.b", "f32[2]");
        expected.put("h.block1.W", "f32[2,4]");
        expected.put("h.block1.b", "f32[4]");
        expected.put("h.block2.q.W", "f32[4,5]");   // the outer call: d = 4, k = 5
        expected.put("h.block2.q.b", "f32[5]");
        expected.put("h.block2.W", "f32[5,4]");
        expected.put("h.block2.b", "f32[4]");
        expected.put("logits.W", "f32[4,3]");
        expected.put("logits.b", "f32[3]");
        assertEquals(expected, paramShapes(m));
        assertEquals(3, m.inlined().size());
        assertEquals("f32[batch,4]", CheckerTest.type(m, CheckerTest.binding(m, "h")));
    }

    @Test
    void expansionLowersEveryCallWithItsOwnWeights() {
        CheckerTest.model(PROGRAM); // checks without diagnostics
        Compilation stages = Compilation.of(new SourceFile("t.nn", PROGRAM));
        CheckedModel m = stages.model();
        List<Node> nodes = stages.lowered().train().nodes();
        long matmuls = nodes.stream().filter(n -> n.op() instanceof Op.MatMul).count();
        assertEquals(8, matmuls, "2 per block call × 3, plus u and logits");
        for (CheckedModel.Param p : m.params())
            assertTrue(nodes.stream().anyMatch(n -> n.op() instanceof Op.Param q && q.name().equals(p.name())), p.name() + " is used");
    }

    /** An int parameter in the result type stands for its value in each call: a wrong width is refused at the return. */
    @Test
    void resultTypesMayUseIntParameters() {
        CheckedModel m = CheckerTest.model("""
                fn project(z: f32[batch, time, n], k: int) -> f32[batch, time, k] {
                  return tanh(dense(z, k))
                }
                model M {
                  input  x: f32[batch, 5, 8]
                  target y: f32[batch, 5, 3]
                  h = project(project(x, 6), k = 3)
                  output p = h
                  loss   mse(p, y)
                }
                """);
        assertEquals("f32[6,3]", paramShapes(m).get("h.project2.W"));
        String message = assertThrows(CompileError.class, () -> Compilation.of(new SourceFile("w.nn", """
                fn project(z: f32[batch, n], k: int) -> f32[batch, k] {
                  return dense(z, n)
                }
                model M {
                  input  x: f32[batch, 8]
                  target y: f32[batch, 3]
                  output p = project(x, 3)
                  loss   mse(p, y)
                }
                """))).getMessage();
        assertTrue(message.contains("project returns f32[batch,8], but its declared result type f32[batch, k] is f32[batch,3] here"), message);
    }
}
