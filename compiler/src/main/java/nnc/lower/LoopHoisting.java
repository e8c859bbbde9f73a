package nnc.lower;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.ir.Substitution;
import nnc.types.Dim;
import nnc.types.Shape;

/**
 * Moves the products of a step's input slice with a loop-invariant matrix ({@code x_t @ Wxh}) out of
 * the loop: one matrix product over the whole time-major sequence before the loop
 * ({@code [T·batch, d] @ [d, e]}), whose slices the step reads instead. Same arithmetic per element,
 * one large GEMM instead of T small ones.
 */
final class LoopHoisting {
    private LoopHoisting() {}

    /** A loop before it is built: its slice variables with their sequences, and its next carries (the first is the step's output). */
    record Draft(List<Node> slices, List<Node> sequences, List<Node> next) {}

    static Draft hoistSliceProducts(GraphBuilder b, int loop, int steps, List<Node> carries, Draft d) {
        ScanBody probe = ScanBody.of(loop, steps, false, carries, d.slices(), d.next(), List.of(d.next().get(0)));
        Set<Node> variant = Collections.newSetFromMap(new IdentityHashMap<>());
        variant.addAll(probe.nodes());
        List<Node> slices = new ArrayList<>(d.slices()), sequences = new ArrayList<>(d.sequences());
        Map<Node, Node> sub = new IdentityHashMap<>();
        for (Node n : probe.nodes()) {
            if (!(n.op() instanceof Op.MatMul m) || m.transA() || variant.contains(n.input(1))) continue;
            int j = slices.indexOf(n.input(0));
            if (j < 0 || n.input(0).shape().rank() != 2) continue;
            Node seq = sequences.get(j);
            Shape s = seq.shape();
            Node flat = b.reshape(seq, Shape.of(Dim.times(s.dim(0), s.dim(1)), s.dim(2)));
            Node all = b.reshape(b.matmul(flat, n.input(1), false, m.transB()), ScanBody.stacked(n.shape(), steps));
            Node v = b.loopVar(loop, true, slices.size(), n.type());
            slices.add(v);
            sequences.add(all);
            sub.put(n, v);
        }
        if (sub.isEmpty()) return d;
        List<Node> next = Substitution.apply(b, d.next(), sub);
        ScanBody after = ScanBody.of(loop, steps, false, carries, slices, next, List.of(next.get(0)));
        Set<Node> used = Collections.newSetFromMap(new IdentityHashMap<>());
        used.addAll(after.nodes());
        List<Node> keptSlices = new ArrayList<>(), keptSequences = new ArrayList<>();
        for (int j = 0; j < slices.size(); j++)
            if (used.contains(slices.get(j))) {
                keptSlices.add(slices.get(j));
                keptSequences.add(sequences.get(j));
            }
        return new Draft(keptSlices, keptSequences, next);
    }
}
