package nnc.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.ir.Substitution;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * The derivative of a loop ({@link Op.Scan}): backpropagation through time, as another loop that
 * runs the steps in reverse. Its step applies the VJP of the forward step; the forward values it
 * needs (the carry at the start of the step, the slices, intermediates such as a gate's sigmoid) are
 * read back from the forward loop's stacked residuals rather than recomputed. It carries the adjoint
 * of each carry and stacks the adjoint of each sequence slice. A captured value's gradient (a
 * weight's) is a sum over the steps: a term {@code aᵀ · v} with {@code a} a slice of some sequence
 * (the input, the previous hidden state) becomes one matrix product after the loop over the whole
 * stacked sequences, {@code A[T·rows, m]ᵀ · V[T·rows, n]}; other terms are summed in a carry.
 */
final class ScanVjp {
    private final GraphBuilder b;
    private final ScanBody f;
    private final List<Node> inputs;
    private final int loop = ScanBody.newLoopId();
    private final List<Node> sliceVars = new ArrayList<>();
    /** Each slice variable of the backward loop → the stacked sequence it steps over. */
    private final Map<Node, Node> sequenceOf = new IdentityHashMap<>();

    private ScanVjp(GraphBuilder b, Node n) {
        this.b = b;
        this.f = ((Op.Scan) n.op()).body();
        this.inputs = n.inputs();
    }

    /**
     * The adjoints of the inputs of scan node {@code n} (null where none), given the adjoints of its
     * loop's outputs by output index ({@code outAdjoints}; missing means zero).
     */
    static List<Node> vjp(GraphBuilder b, Node n, Map<Integer, Node> outAdjoints, Predicate<Node> needsGrad) {
        return new ScanVjp(b, n).run(outAdjoints, needsGrad);
    }

    private Node slice(Node sequence, TensorType type) {
        Node v = b.loopVar(loop, true, sliceVars.size(), type);
        sliceVars.add(v);
        sequenceOf.put(v, sequence);
        return v;
    }

    private Node forwardOutput(int k) { return b.node(new Op.Scan(f, k), inputs); }

    private List<Node> run(Map<Integer, Node> outAdjoints, Predicate<Node> needsGrad) {
        int c = f.carries().size(), q = f.slices().size();
        List<Node> captures = inputs.subList(c + q, inputs.size());

        List<Node> carryVars = new ArrayList<>(), carryInits = new ArrayList<>();
        for (int i = 0; i < c; i++) { // the adjoint of carry i
            Node carry = f.carries().get(i);
            carryVars.add(b.loopVar(loop, false, carryVars.size(), carry.type()));
            Node g = outAdjoints.get(i);
            carryInits.add(g != null ? g : zeros(carry));
        }
        // the step recomputed over the backward loop's slices, then differentiated
        Map<Node, Node> sub = new IdentityHashMap<>();
        for (int i = 0; i < c; i++) sub.put(f.carries().get(i), slice(forwardOutput(f.carryInOutput(i)), f.carries().get(i).type()));
        for (int j = 0; j < q; j++) sub.put(f.slices().get(j), slice(inputs.get(c + j), f.slices().get(j).type()));
        for (Node x : f.nodes())
            if (!(x.op() instanceof Op.LoopVar)) sub.put(x, b.node(x.op(), mapped(x.inputs(), sub)));
        Map<Node, Node> seeds = new IdentityHashMap<>();
        for (int i = 0; i < c; i++) seeds.merge(sub.getOrDefault(f.carryResults().get(i), f.carryResults().get(i)), carryVars.get(i), b::add);
        for (int k = 0; k < f.stepResults().size(); k++) {
            Node g = outAdjoints.get(c + k);
            if (g == null) continue;
            Node r = f.stepResults().get(k);
            seeds.merge(sub.getOrDefault(r, r), slice(g, r.type()), b::add);
        }
        List<Node> recomputed = new ArrayList<>();
        for (Node x : f.nodes()) recomputed.add(sub.get(x));
        List<Node> trained = new ArrayList<>();
        for (Node w : captures) if (needsGrad.test(w)) trained.add(w);
        Set<Node> differentiable = Collections.newSetFromMap(new IdentityHashMap<>());
        differentiable.addAll(recomputed);
        differentiable.addAll(trained);
        Map<Node, Node> adj = Autodiff.backprop(b, recomputed, seeds, differentiable::contains);

        // results of the backward step: carry adjoints, accumulators; stacked slice adjoints, hoisted factors
        List<Node> carryResults = new ArrayList<>(), steps = new ArrayList<>();
        for (int i = 0; i < c; i++) carryResults.add(orZeros(adj.get(sub.get(f.carries().get(i))), f.carries().get(i)));
        List<Integer> sequencesWithGrad = new ArrayList<>();
        for (int j = 0; j < q; j++)
            if (needsGrad.test(inputs.get(c + j))) {
                sequencesWithGrad.add(j);
                steps.add(orZeros(adj.get(sub.get(f.slices().get(j))), f.slices().get(j)));
            }
        List<Node> accumulated = new ArrayList<>(); // trained captures with an accumulator carry, in carry order
        Map<Node, Node> forwardOf = new IdentityHashMap<>(); // recomputed node → the forward body node
        for (Node x : f.nodes()) if (!(x.op() instanceof Op.LoopVar)) forwardOf.put(sub.get(x), x);
        Map<Node, List<Hoisted>> hoisted = new IdentityHashMap<>();
        for (Node w : trained) {
            List<Node> rest = new ArrayList<>();
            List<Hoisted> products = new ArrayList<>();
            for (Node term : terms(adj.get(w))) {
                boolean product = term.op() instanceof Op.MatMul m && m.transA() && !m.transB();
                Node a = product ? term.input(0) : null;
                Node stacked = !product ? null
                        : sequenceOf.containsKey(a) ? sequenceOf.get(a)
                        : forwardOf.containsKey(a) ? forwardOutput(f.stackedOutput(forwardOf.get(a))) : null;
                if (stacked != null && a.shape().rank() == 2) {
                    int k = steps.indexOf(term.input(1));
                    if (k < 0) {
                        k = steps.size();
                        steps.add(term.input(1));
                    }
                    products.add(new Hoisted(stacked, k));
                } else {
                    rest.add(term);
                }
            }
            hoisted.put(w, products);
            if (!rest.isEmpty() || products.isEmpty()) {
                Node acc = b.loopVar(loop, false, carryVars.size(), w.type());
                carryVars.add(acc);
                carryInits.add(zeros(w));
                Node sum = acc;
                for (Node t : rest) sum = b.add(sum, t);
                carryResults.add(sum);
                accumulated.add(w);
            }
        }
        // forward values the step reads are fetched from the forward loop's residuals, not recomputed
        Map<Node, Node> fetched = fetchResiduals(carryResults, steps, forwardOf);
        List<Node> results = new ArrayList<>(carryResults);
        results.addAll(steps);
        results = Substitution.apply(b, results, fetched);
        carryResults = results.subList(0, carryResults.size());
        steps = results.subList(carryResults.size(), results.size());

        ScanBody back = ScanBody.of(loop, f.length(), !f.reverse(), carryVars, usedSlices(carryVars, carryResults, steps), carryResults, steps);
        List<Node> outs = b.scan(back, carryInits, back.slices().stream().map(sequenceOf::get).toList());

        Node[] result = new Node[inputs.size()];
        for (int i = 0; i < c; i++) if (needsGrad.test(inputs.get(i))) result[i] = outs.get(i);
        for (int k = 0; k < sequencesWithGrad.size(); k++) result[c + sequencesWithGrad.get(k)] = outs.get(back.stepOutput(k));
        for (Node w : trained) {
            Node g = accumulated.contains(w) ? outs.get(c + accumulated.indexOf(w)) : null;
            for (Hoisted p : hoisted.get(w)) {
                Node product = b.matmul(flat(p.sequence()), flat(outs.get(back.stepOutput(p.step()))), true, false);
                g = g == null ? product : b.add(g, product);
            }
            result[c + q + captures.indexOf(w)] = g;
        }
        return Arrays.asList(result);
    }

    /**
     * The recomputed forward nodes the backward step reads (walking from its results, not into the
     * recomputed nodes themselves), each replaced by a slice of the forward loop's stacked values.
     */
    private Map<Node, Node> fetchResiduals(List<Node> carryResults, List<Node> steps, Map<Node, Node> forwardOf) {
        Map<Node, Node> fetched = new IdentityHashMap<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> work = new ArrayList<>(carryResults);
        work.addAll(steps);
        while (!work.isEmpty()) {
            Node n = work.remove(work.size() - 1);
            if (!seen.add(n)) continue;
            Node x = forwardOf.get(n);
            if (x != null) {
                fetched.put(n, slice(forwardOutput(f.stackedOutput(x)), x.type()));
                continue;
            }
            work.addAll(n.inputs());
        }
        return fetched;
    }

    /** The slice variables the step reads (the others would only cost a copy per step). */
    private List<Node> usedSlices(List<Node> carryVars, List<Node> carryResults, List<Node> steps) {
        ScanBody probe = ScanBody.of(loop, f.length(), !f.reverse(), carryVars, sliceVars, carryResults, steps);
        Set<Node> used = Collections.newSetFromMap(new IdentityHashMap<>());
        used.addAll(probe.nodes());
        return sliceVars.stream().filter(used::contains).toList();
    }

    /** A gradient term {@code Σ_t a_tᵀ · v_t} computed after the loop: the stacked {@code a}, and {@code v}'s step result. */
    private record Hoisted(Node sequence, int step) {}

    /** The terms of a sum ({@code a + b + …}, same shapes), or {@code g} itself; none for null. */
    private static List<Node> terms(Node g) {
        List<Node> out = new ArrayList<>();
        if (g == null) return out;
        if (g.op() instanceof Op.Binary bin && bin.fn() == BinaryFn.ADD
                && g.input(0).shape().equals(g.shape()) && g.input(1).shape().equals(g.shape())) {
            out.addAll(terms(g.input(0)));
            out.addAll(terms(g.input(1)));
        } else {
            out.add(g);
        }
        return out;
    }

    /** {@code [T, rows, n]} as the matrix {@code [T·rows, n]}. */
    private Node flat(Node stacked) {
        Shape s = stacked.shape();
        return b.reshape(stacked, Shape.of(Dim.times(s.dim(0), s.dim(1)), s.dim(2)));
    }

    private static List<Node> mapped(List<Node> nodes, Map<Node, Node> sub) {
        List<Node> out = new ArrayList<>(nodes.size());
        for (Node x : nodes) out.add(sub.getOrDefault(x, x));
        return out;
    }

    private Node zeros(Node like) { return b.broadcast(b.constant(0), like.shape()); }

    private Node orZeros(Node g, Node like) { return g != null ? g : zeros(like); }
}
