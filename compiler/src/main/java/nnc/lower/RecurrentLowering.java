package nnc.lower;

import java.util.List;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.ir.UnaryFn;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * The library recurrent layers (DSL.md §10) as loops ({@link ScanBody}) from a zero state. The input
 * projection {@code x·W + b} of every step is one matrix product before the loop, over the whole
 * sequence; each step multiplies only the hidden state by {@code U}. Gates follow PyTorch:
 * <ul>
 *   <li>rnn: {@code h' = tanh(xw + h·U)}</li>
 *   <li>gru: {@code r = σ(xw_r + hu_r)}, {@code z = σ(xw_z + hu_z)}, {@code n = tanh(xw_n + r ⊙ hu_n)},
 *       {@code h' = (1 − z) ⊙ n + z ⊙ h}, where {@code hu = h·U + bh}</li>
 *   <li>lstm: {@code i, f, o = σ(…)}, {@code g = tanh(…)} of {@code xw + h·U}; {@code c' = f ⊙ c + i ⊙ g},
 *       {@code h' = o ⊙ tanh(c')}</li>
 * </ul>
 * Gate {@code k} of a {@code [batch, G·units]} value is {@code Σ_j reshape(v)[:, j, :] · (j == k)}:
 * exact (one term is the value, the others add zeros) without a slicing primitive.
 */
final class RecurrentLowering {
    private RecurrentLowering() {}

    /** @param source the layer call, which keys its loop id ({@link GraphBuilder#loopId}) */
    static Node lower(GraphBuilder b, Object source, String kind, Node x, Node w, Node u, Node bias, Node recurrentBias) {
        int steps = Math.toIntExact(x.shape().dim(1).size());
        long units = u.shape().dim(0).size();
        int gates = Math.toIntExact(u.shape().dim(1).size() / units);
        Node projected = b.matmulLastAxis(x, w, false, bias); // [batch, time, G·units]
        Node sequence = b.transpose(projected, Lowering.swapFirstTwo(3)); // [time, batch, G·units]
        int loop = b.loopId(source);
        TensorType state = TensorType.f32(Shape.of(Dim.BATCH, Dim.of(units)));
        Node h = b.loopVar(loop, false, 0, state);
        Node xw = b.loopVar(loop, true, 0, TensorType.f32(ScanBody.slice(sequence.shape())));
        Node hu = b.matmul(h, u, false, false);
        Node zeros = b.broadcast(b.constant(0), state.shape());
        ScanBody body = switch (kind) {
            case "rnn" -> {
                Node next = b.unary(UnaryFn.TANH, b.add(xw, hu));
                yield ScanBody.of(loop, steps, false, List.of(h), List.of(xw), List.of(next), List.of(next));
            }
            case "gru" -> {
                Node hub = b.add(hu, recurrentBias);
                Node r = b.unary(UnaryFn.SIGMOID, b.add(gate(b, xw, 0, gates), gate(b, hub, 0, gates)));
                Node z = b.unary(UnaryFn.SIGMOID, b.add(gate(b, xw, 1, gates), gate(b, hub, 1, gates)));
                Node n = b.unary(UnaryFn.TANH, b.add(gate(b, xw, 2, gates), b.mul(r, gate(b, hub, 2, gates))));
                Node next = b.add(b.mul(b.sub(b.constant(1), z), n), b.mul(z, h));
                yield ScanBody.of(loop, steps, false, List.of(h), List.of(xw), List.of(next), List.of(next));
            }
            case "lstm" -> {
                Node cell = b.loopVar(loop, false, 1, state);
                Node pre = b.add(xw, hu);
                Node i = b.unary(UnaryFn.SIGMOID, gate(b, pre, 0, gates));
                Node f = b.unary(UnaryFn.SIGMOID, gate(b, pre, 1, gates));
                Node g = b.unary(UnaryFn.TANH, gate(b, pre, 2, gates));
                Node o = b.unary(UnaryFn.SIGMOID, gate(b, pre, 3, gates));
                Node nextCell = b.add(b.mul(f, cell), b.mul(i, g));
                Node next = b.mul(o, b.unary(UnaryFn.TANH, nextCell));
                yield ScanBody.of(loop, steps, false, List.of(h, cell), List.of(xw), List.of(next, nextCell), List.of(next));
            }
            default -> throw new IllegalArgumentException("not a recurrent layer: " + kind);
        };
        List<Node> inits = body.carries().size() == 1 ? List.of(zeros) : List.of(zeros, zeros);
        Node stacked = b.scan(body, inits, List.of(sequence)).get(body.stepOutput(0)); // [time, batch, units]
        return b.transpose(stacked, Lowering.swapFirstTwo(3));
    }

    /** Gate {@code k} of {@code v} [batch, G·units] (see the class comment): [batch, units]. */
    private static Node gate(GraphBuilder b, Node v, int k, int gates) {
        if (gates == 1) return v;
        Dim units = Dim.of(v.shape().dim(1).size() / gates);
        Node split = b.reshape(v, Shape.of(v.shape().dim(0), Dim.of(gates), units));
        Node mask = b.binary(BinaryFn.EQ, b.node(new Op.Iota(Shape.of(gates, 1), 0)), b.constant(k));
        return b.sum(b.mul(split, mask), List.of(1), false);
    }
}
