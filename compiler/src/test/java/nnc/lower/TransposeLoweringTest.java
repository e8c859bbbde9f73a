package nnc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import nnc.ir.GraphPrinter;
import nnc.ir.Node;
import nnc.ir.Op;
import org.junit.jupiter.api.Test;

/** {@code a @ transpose(b)} is one matmul reading b transposed; a transpose elsewhere is a transpose node. */
class TransposeLoweringTest {
    @Test
    void transposedMatmulOperandsBecomeLayoutFlags() {
        var module = StatefulLayersTest.compile("""
                model T {
                  input  x: f32[batch, 6]
                  target y: f32[batch, 6]
                  param  A: f32[4, 6]
                  param  B: f32[4, 6]
                  output o = x @ transpose(A) @ B + transpose(transpose(x @ transpose(A) @ B))
                  loss   mse(o, y)
                }
                """);
        List<Node> forward = module.predict().nodes();
        List<Op.MatMul> matmuls = forward.stream().filter(n -> n.op() instanceof Op.MatMul).map(n -> (Op.MatMul) n.op()).toList();
        assertEquals(List.of(new Op.MatMul(false, true), new Op.MatMul(false, false)), matmuls, GraphPrinter.print(module.predict()));
        assertEquals(2, forward.stream().filter(n -> n.op() instanceof Op.Transpose).count(), GraphPrinter.print(module.predict()));
    }
}
