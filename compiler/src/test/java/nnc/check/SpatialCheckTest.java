package nnc.check;

import static nnc.check.CheckerTest.binding;
import static nnc.check.CheckerTest.model;
import static nnc.check.CheckerTest.params;
import static nnc.check.CheckerTest.sample;
import static nnc.check.CheckerTest.type;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shape rules of conv2d, max_pool2d and avg_pool2d: output sizes ⌊(H + 2p − k)/s⌋ + 1, as PyTorch's. */
class SpatialCheckTest {
    @Test
    void lenetShapesAndParameters() throws IOException {
        CheckedModel m = sample("lenet.nn");
        assertEquals("f32[batch,6,14,14]", type(m, binding(m, "c1")));
        assertEquals("f32[batch,16,5,5]", type(m, binding(m, "c2")));
        double b1 = 1 / Math.sqrt(25), b2 = 1 / Math.sqrt(150);
        assertEquals(List.of("c1.W f32[6,1,5,5] uniform:" + -b1 + ":" + b1, "c1.b f32[6] uniform:" + -b1 + ":" + b1,
                        "c2.W f32[16,6,5,5] uniform:" + -b2 + ":" + b2, "c2.b f32[16] uniform:" + -b2 + ":" + b2),
                params(m).entrySet().stream().limit(4).map(e -> e.getKey() + " " + e.getValue()).toList());
    }

    @Test
    void strideSamePaddingAndAveragePooling() {
        CheckedModel m = model("""
                model M {
                  input  x: f32[batch, 3, 28, 30]
                  target y: i32[batch]
                  a = conv2d(x, 8, kernel = 3, stride = 2, padding = 1)
                  s = conv2d(x, 4, kernel = 5, padding = same)
                  p = avg_pool2d(s, 3, stride = 2)
                  q = max_pool2d(a, 2)
                  output logits = dense(flatten(q), 10) + dense(flatten(p), 10)
                  loss   cross_entropy(logits, y)
                }
                """);
        assertEquals("f32[batch,8,14,15]", type(m, binding(m, "a")));
        assertEquals("f32[batch,4,28,30]", type(m, binding(m, "s")));
        assertEquals("f32[batch,4,13,14]", type(m, binding(m, "p")));
        assertEquals("f32[batch,8,7,7]", type(m, binding(m, "q")));
    }
}
