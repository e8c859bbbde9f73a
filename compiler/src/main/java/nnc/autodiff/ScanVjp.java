package nnc.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;

/**
 * The derivative of a loop ({@link Op.Scan}): backpropagation through time, as another loop that
 * runs the steps in reverse. Its step recomputes the forward step from the saved carry at the start
 * of the step (the forward loop's stacked carry-ins) and the step's slices, then applies the VJP of
 * the body. It carries the adjoint of each carry and, for each captured value that needs a
 * gradient (a weight), the sum of that value's adjoints over the steps done so far; it stacks the
 * adjoint of each sequence slice.
 */
final class ScanVjp {
    private ScanVjp() {}

    /**
     * The adjoints of the inputs of scan node {@code n} (null where none), given the adjoints of its
     * loop's outputs by output index ({@code outAdjoints}; missing means zero).
     */
    static List<Node> vjp(GraphBuilder b, Node n, Map<Integer, Node> outAdjoints, Predicate<Node> needsGrad) {
        ScanBody f = ((Op.Scan) n.op()).body();
        int c = f.carries().size(), q = f.slices().size();
        List<Node> inputs = n.inputs();
        List<Node> captures = inputs.subList(c + q, inputs.size());
        int loop = ScanBody.newLoopId();

        List<Node> carryVars = new ArrayList<>(), carryInits = new ArrayList<>();
        List<Node> sliceVars = new ArrayList<>(), sequences = new ArrayList<>();
        Map<Node, Node> sub = new IdentityHashMap<>();
        for (int i = 0; i < c; i++) { // the adjoint of carry i
            Node carry = f.carries().get(i);
            carryVars.add(b.loopVar(loop, false, carryVars.size(), carry.type()));
            Node g = outAdjoints.get(i);
            carryInits.add(g != null ? g : zeros(b, carry));
        }
        List<Node> trained = new ArrayList<>(); // captures that get a gradient, each with an accumulator carry
        for (Node w : captures)
            if (needsGrad.test(w)) {
                trained.add(w);
                carryVars.add(b.loopVar(loop, false, carryVars.size(), w.type()));
                carryInits.add(zeros(b, w));
            }
        for (int i = 0; i < c; i++) { // the carry at the start of each step, saved by the forward loop
            Node v = b.loopVar(loop, true, sliceVars.size(), f.carries().get(i).type());
            sliceVars.add(v);
            sequences.add(b.node(new Op.Scan(f, f.carryInOutput(i)), inputs));
            sub.put(f.carries().get(i), v);
        }
        for (int j = 0; j < q; j++) {
            Node v = b.loopVar(loop, true, sliceVars.size(), f.slices().get(j).type());
            sliceVars.add(v);
            sequences.add(inputs.get(c + j));
            sub.put(f.slices().get(j), v);
        }
        Map<Node, Node> seeds = new IdentityHashMap<>();
        for (Node body : f.nodes())
            if (!(body.op() instanceof Op.LoopVar)) sub.put(body, b.node(body.op(), mapped(body.inputs(), sub)));
        for (int i = 0; i < c; i++) seeds.merge(sub.getOrDefault(f.carryResults().get(i), f.carryResults().get(i)), carryVars.get(i), b::add);
        for (int k = 0; k < f.stepResults().size(); k++) {
            Node g = outAdjoints.get(c + k);
            if (g == null) continue;
            Node v = b.loopVar(loop, true, sliceVars.size(), f.stepResults().get(k).type());
            sliceVars.add(v);
            sequences.add(g);
            seeds.merge(sub.getOrDefault(f.stepResults().get(k), f.stepResults().get(k)), v, b::add);
        }

        List<Node> recomputed = new ArrayList<>();
        for (Node body : f.nodes()) recomputed.add(sub.get(body));
        java.util.Set<Node> differentiable = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        differentiable.addAll(recomputed);
        differentiable.addAll(trained);
        Map<Node, Node> adj = Autodiff.backprop(b, recomputed, seeds, differentiable::contains);

        List<Node> carryResults = new ArrayList<>();
        for (int i = 0; i < c; i++) carryResults.add(orZeros(b, adj.get(sub.get(f.carries().get(i))), f.carries().get(i)));
        for (int m = 0; m < trained.size(); m++) {
            Node acc = carryVars.get(c + m), g = adj.get(trained.get(m));
            carryResults.add(g == null ? acc : b.add(acc, g));
        }
        List<Node> sliceAdjoints = new ArrayList<>();
        List<Integer> sequencesWithGrad = new ArrayList<>();
        for (int j = 0; j < q; j++)
            if (needsGrad.test(inputs.get(c + j))) {
                sequencesWithGrad.add(j);
                sliceAdjoints.add(orZeros(b, adj.get(sub.get(f.slices().get(j))), f.slices().get(j)));
            }
        ScanBody back = ScanBody.of(loop, f.length(), !f.reverse(), carryVars, sliceVars, carryResults, sliceAdjoints);
        List<Node> outs = b.scan(back, carryInits, sequences);

        Node[] result = new Node[inputs.size()];
        for (int i = 0; i < c; i++) if (needsGrad.test(inputs.get(i))) result[i] = outs.get(i);
        for (int k = 0; k < sequencesWithGrad.size(); k++) result[c + sequencesWithGrad.get(k)] = outs.get(back.stepOutput(k));
        for (int m = 0; m < trained.size(); m++) result[c + q + captures.indexOf(trained.get(m))] = outs.get(c + m);
        return Arrays.asList(result);
    }

    private static List<Node> mapped(List<Node> nodes, Map<Node, Node> sub) {
        List<Node> out = new ArrayList<>(nodes.size());
        for (Node x : nodes) out.add(sub.getOrDefault(x, x));
        return out;
    }

    private static Node zeros(GraphBuilder b, Node like) { return b.broadcast(b.constant(0), like.shape()); }

    private static Node orZeros(GraphBuilder b, Node g, Node like) { return g != null ? g : zeros(b, like); }
}
