package nnc.builtins;

import static nnc.builtins.Builtin.function;
import static nnc.builtins.Signature.tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.ir.UnaryFn;
import nnc.runtime.Init;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Sequences: {@code last(h)} and the library recurrent layers {@code rnn}, {@code gru}, {@code lstm}
 * over {@code [batch, time, d]}, lowered to loops ({@link ScanBody}) from a zero state. The input
 * projection {@code x·W + b} of every step is one matrix product before the loop, over the whole
 * sequence; each step multiplies only the hidden state by {@code U}. Gates follow PyTorch:
 * <ul>
 *   <li>rnn: {@code h' = tanh(xw + h·U)}</li>
 *   <li>gru: {@code r = σ(xw_r + hu_r)}, {@code z = σ(xw_z + hu_z)}, {@code n = tanh(xw_n + r ⊙ hu_n)},
 *       {@code h' = (1 − z) ⊙ n + z ⊙ h}, where {@code hu = h·U + bh}</li>
 *   <li>lstm: {@code i, f, o = σ(…)}, {@code g = tanh(…)} of {@code xw + h·U}; {@code c' = f ⊙ c + i ⊙ g},
 *       {@code h' = o ⊙ tanh(c')}</li>
 * </ul>
 * Gate {@code k} of a {@code [batch, G·units]} value is a slice of it, read in place by the kernel that
 * consumes it; the gates' gradients join by a sum of pads (each point one gradient and zeros).
 */
final class RecurrentBuiltins {
    private RecurrentBuiltins() {}

    /** The names of the builtins {@link #all} declares, in its order (the registry's index; see {@link Builtins}). */
    static final List<String> NAMES = List.of("last", "rnn", "gru", "lstm");

    static List<Builtin> all() {
        List<Builtin> all = new ArrayList<>();
        all.add(function("last", tensors("h"), RecurrentBuiltins::last, RecurrentBuiltins::last));
        for (String f : List.of("rnn", "gru", "lstm"))
            all.add(new Builtin(f, Builtin.Kind.LOOP_LAYER, new Signature(List.of("x", "mask"), List.of("units", "layers", "bidirectional"), List.of("units"),
                    Map.of("mask", Set.of()), Set.of("mask")),
                    RecurrentBuiltins::recurrent, c -> recurrent(c, f)));
        return all;
    }

    /** {@code last(h)}: the last time step of a sequence, {@code [batch, time, d] → [batch, d]}. */
    private static TensorType last(TypeContext c) {
        TensorType h = c.f32("h");
        if (h.rank() != 3 || !h.shape().dim(1).isFixed())
            throw c.errorAt("h", "last takes the last time step of a sequence f32[batch, time, features], but " + c.describe("h") + " is " + h,
                    h.rank() == 2 ? "it has no time axis: apply last to the [batch, time, features] sequence, before its time axis is reduced"
                            : "a sequence has three axes: batch, time, features");
        return TensorType.f32(Shape.of(h.shape().dim(0), h.shape().dim(2)));
    }

    /**
     * {@code rnn(x, units)}, {@code gru(x, units)}, {@code lstm(x, units)} over a sequence
     * {@code [batch, time, d]}: the hidden state at every step, {@code [batch, time, units]}. Each owns
     * {@code W [d, G·units]} (input weights), {@code U [units, G·units]} (recurrent weights) and
     * {@code b [G·units]}, with G = 1, 3, 4 gates in PyTorch's order (GRU: r, z, n; LSTM: i, f, g, o);
     * GRU also owns {@code bh [3·units]}, the recurrent bias inside its reset gate. With {@code layers
     * = N > 1} (torch's {@code num_layers}) layer k reads layer k−1's hidden states and owns
     * {@code layerK.W [d or units, G·units]}, {@code layerK.U}, {@code layerK.b} (and {@code layerK.bh}).
     * With {@code bidirectional = true} every layer also owns the same parameters under
     * {@code [layerK.]reverse.} for its reverse loop; the result is {@code [batch, time, 2·units]} and a
     * layer above the first reads {@code 2·units} features. A {@code mask} f32[batch, time] (0 at
     * padding) makes every layer skip the padded steps, as PyTorch's packed sequences.
     */
    private static TensorType recurrent(TypeContext c) {
        TensorType x = c.f32("x");
        if (x.rank() != 3 || !x.shape().dim(0).equals(Dim.BATCH))
            throw c.errorAt("x", c.name() + " runs over a sequence f32[batch, time, features], but " + c.describe("x") + " is " + x,
                    x.rank() == 2 && x.shape().dim(0).equals(Dim.BATCH) ? "a [batch, features] input has no time axis; for token ids use embedding(tokens, vocab = V, dim = D)" : null);
        int units = c.positiveInt("units");
        if (c.hasTensor("mask")) {
            TensorType m = c.f32("mask");
            if (!m.shape().equals(Shape.of(x.shape().dim(0), x.shape().dim(1))))
                throw c.errorAt("mask", "the mask of " + c.name() + " needs one value per step of its input " + x + ": f32"
                        + Shape.of(x.shape().dim(0), x.shape().dim(1)) + ", but " + c.describe("mask") + " is " + m,
                        "1 at a real step and 0 at padding, e.g. m = tokens > 0 for values padded with 0");
        }
        Dim in = x.shape().last();
        if (!in.isFixed()) throw c.errorAt("x", c.name() + " needs a fixed number of input features, but " + c.describe("x") + " is " + x, null);
        int gates = switch (c.name()) {
            case "gru" -> 3;
            case "lstm" -> 4;
            default -> 1;
        };
        int layers = c.has("layers") ? c.positiveInt("layers") : 1;
        c.record("layers", (double) layers);
        boolean bidirectional = LayerBuiltins.flag(c, "bidirectional", false);
        c.record("bidirectional", bidirectional);
        int directions = bidirectional ? 2 : 1;
        Dim width = Dim.of((long) gates * units);
        for (int k = 1; k <= layers; k++) {
            Dim layerIn = k == 1 ? in : Dim.of((long) directions * units);
            for (int d = 0; d < directions; d++) {
                String prefix = prefix(layers, k, d == 1);
                c.createParam(prefix + "W", TensorType.f32(Shape.of(layerIn, width)), new Init.Xavier());
                c.createParam(prefix + "U", TensorType.f32(Shape.of(Dim.of(units), width)), new Init.Orthogonal());
                c.createParam(prefix + "b", TensorType.f32(Shape.of(width)), Init.ZEROS);
                if (gates == 3) c.createParam(prefix + "bh", TensorType.f32(Shape.of(width)), Init.ZEROS);
            }
        }
        return TensorType.f32(x.shape().with(2, Dim.of((long) directions * units)));
    }

    /**
     * The name prefix of the parameters of layer {@code k} of {@code layers}, in the reverse direction
     * or not: {@code ""}, {@code "reverse."}, {@code "layerK."}, {@code "layerK.reverse."}.
     */
    private static String prefix(int layers, int k, boolean reverse) {
        return (layers == 1 ? "" : "layer" + k + ".") + (reverse ? "reverse." : "");
    }

    /**
     * {@code last(h)}, {@code [batch, time, d] → [batch, d]}: {@code h[:, -1]}, a slice (read in place by
     * the loop that consumes it); its gradient puts g at the last step and zeros elsewhere (a pad). A
     * NaN or infinity at an earlier step does not reach it.
     */
    private static Node last(LowerContext c) {
        Node h = c.tensor(0);
        return c.builder().slice(h, Op.Slice.index(3, 1, h.shape().dim(1).size() - 1));
    }

    /**
     * The layers one after the other, each a loop of its own over the previous layer's hidden states;
     * a bidirectional layer is two loops over the same input, the second from the last step back to
     * the first, whose hidden states are joined on the last axis (forward first, as PyTorch).
     */
    private static Node recurrent(LowerContext c, String kind) {
        int layers = c.intOption("layers");
        boolean bidirectional = Boolean.TRUE.equals(c.option("bidirectional"));
        Node h = c.tensor(0), mask = c.tensor(1);
        Node steps = mask == null ? null : stepMask(c.builder(), mask);
        if (mask != null) { // zeros at padded steps before the input product, so that a NaN there cannot reach W's gradient (0 · NaN)
            GraphBuilder b = c.builder();
            h = b.where(b.reshape(mask, Shape.of(mask.shape().dim(0), mask.shape().dim(1), Dim.ONE)), h, b.constant(0));
        }
        for (int k = 1; k <= layers; k++) {
            if (!bidirectional) {
                h = recurrent(c, kind, h, steps, prefix(layers, k, false), c.loopId(k - 1), false);
                continue;
            }
            Node forward = recurrent(c, kind, h, steps, prefix(layers, k, false), c.loopId(2 * (k - 1)), false);
            Node backward = recurrent(c, kind, h, steps, prefix(layers, k, true), c.loopId(2 * (k - 1) + 1), true);
            h = PlumbingBuiltins.concat(c.builder(), List.of(forward, backward), 2);
        }
        return h;
    }

    /** The mask {@code [batch, time]} as a sequence of steps {@code [time, batch, 1]}, one slice per step. */
    private static Node stepMask(GraphBuilder b, Node mask) {
        Node byTime = b.transpose(mask, Op.Transpose.firstTwo(2));
        return b.reshape(byTime, Shape.of(byTime.shape().dim(0), byTime.shape().dim(1), Dim.ONE));
    }

    /**
     * One layer in one direction. With a step mask, a step where it is 0 keeps the state (selected, so
     * the padded input cannot reach it, not even as a NaN) and outputs zeros.
     */
    private static Node recurrent(LowerContext c, String kind, Node x, Node stepMask, String prefix, int loop, boolean reverse) {
        GraphBuilder b = c.builder();
        Node w = c.param(prefix + "W"), u = c.param(prefix + "U"), bias = c.param(prefix + "b");
        Node recurrentBias = kind.equals("gru") ? c.param(prefix + "bh") : null;
        int steps = Math.toIntExact(x.shape().dim(1).size());
        long units = u.shape().dim(0).size();
        int gates = Math.toIntExact(u.shape().dim(1).size() / units);
        Node projected = b.matmulLastAxis(x, w, false, bias); // [batch, time, G·units]
        Node sequence = b.transpose(projected, Op.Transpose.firstTwo(3)); // [time, batch, G·units]
        TensorType state = TensorType.f32(Shape.of(Dim.BATCH, Dim.of(units)));
        Node h = b.loopVar(loop, false, 0, state);
        Node xw = b.loopVar(loop, true, 0, TensorType.f32(ScanBody.slice(sequence.shape())));
        Node hu = b.matmul(h, u, false, false);
        Node zeros = b.broadcast(b.constant(0), state.shape());
        Node m = stepMask == null ? null : b.loopVar(loop, true, 1, TensorType.f32(ScanBody.slice(stepMask.shape())));
        List<Node> slices = m == null ? List.of(xw) : List.of(xw, m);
        List<Node> sequences = m == null ? List.of(sequence) : List.of(sequence, stepMask);
        ScanBody body = switch (kind) {
            case "rnn" -> {
                Node next = keep(b, m, b.unary(UnaryFn.TANH, b.add(xw, hu)), h);
                yield ScanBody.of(loop, steps, reverse, List.of(h), slices, List.of(next), List.of(keep(b, m, next, zeros)));
            }
            case "gru" -> {
                Node hub = b.add(hu, recurrentBias);
                Node r = b.unary(UnaryFn.SIGMOID, b.add(gate(b, xw, 0, gates), gate(b, hub, 0, gates)));
                Node z = b.unary(UnaryFn.SIGMOID, b.add(gate(b, xw, 1, gates), gate(b, hub, 1, gates)));
                Node n = b.unary(UnaryFn.TANH, b.add(gate(b, xw, 2, gates), b.mul(r, gate(b, hub, 2, gates))));
                Node next = keep(b, m, b.add(b.mul(b.sub(b.constant(1), z), n), b.mul(z, h)), h);
                yield ScanBody.of(loop, steps, reverse, List.of(h), slices, List.of(next), List.of(keep(b, m, next, zeros)));
            }
            case "lstm" -> {
                Node cell = b.loopVar(loop, false, 1, state);
                Node pre = b.add(xw, hu);
                Node i = b.unary(UnaryFn.SIGMOID, gate(b, pre, 0, gates));
                Node f = b.unary(UnaryFn.SIGMOID, gate(b, pre, 1, gates));
                Node g = b.unary(UnaryFn.TANH, gate(b, pre, 2, gates));
                Node o = b.unary(UnaryFn.SIGMOID, gate(b, pre, 3, gates));
                Node newCell = b.add(b.mul(f, cell), b.mul(i, g));
                Node nextCell = keep(b, m, newCell, cell);
                Node next = keep(b, m, b.mul(o, b.unary(UnaryFn.TANH, newCell)), h);
                yield ScanBody.of(loop, steps, reverse, List.of(h, cell), slices, List.of(next, nextCell), List.of(keep(b, m, next, zeros)));
            }
            default -> throw new IllegalArgumentException("not a recurrent layer: " + kind);
        };
        List<Node> inits = body.carries().size() == 1 ? List.of(zeros) : List.of(zeros, zeros);
        Node stacked = b.scan(body, inits, sequences).get(body.stepOutput(0)); // [time, batch, units]
        return b.transpose(stacked, Op.Transpose.firstTwo(3));
    }

    /** {@code value} where the step mask is not 0, else {@code otherwise}; {@code value} without a mask. */
    private static Node keep(GraphBuilder b, Node stepMask, Node value, Node otherwise) {
        return stepMask == null ? value : b.where(stepMask, value, otherwise);
    }

    /**
     * Gate {@code k} of {@code v} [batch, G·units]: row k of {@code v} seen as [batch, G, units], read in
     * place. Its gradient pads along the gate axis, so the gates' gradients join by a sum over
     * [batch, G, units] whose gate choice is fixed along each row of units (a vector loop).
     */
    private static Node gate(GraphBuilder b, Node v, int k, int gates) {
        if (gates == 1) return v;
        Dim units = Dim.of(v.shape().dim(1).size() / gates);
        Node split = b.reshape(v, Shape.of(v.shape().dim(0), Dim.of(gates), units));
        return b.slice(split, Op.Slice.index(3, 1, k));
    }
}
