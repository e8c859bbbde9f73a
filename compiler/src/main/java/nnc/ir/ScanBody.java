package nnc.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * The step of a loop over the leading axis of its sequences ({@link Op.Scan}): a subgraph of the
 * node pool from the loop's variables ({@link Op.LoopVar} leaves: one per carry, one per sequence
 * slice) to its results. Step {@code t} (0…length−1, or length−1…0 when {@code reverse}) binds each
 * carry variable to the carry's current value and each slice variable to element {@code t} of its
 * sequence, then the carry results become the carries of the next step and the step results are
 * stored as element {@code t} of the stacked outputs.
 *
 * <p>Body nodes are the nodes between the variables and the results (those that depend on a
 * variable). Every other node a body node reads is a <em>capture</em>: a loop-invariant value
 * computed once before the loop (weights, and anything made from them alone, such as a transposed
 * weight), which the scan node takes as an input.
 *
 * <p>After the user's step results come the carry variables themselves (the stacked outputs then
 * include the carry at the start of each step) and then every other body node (its value at every
 * step): the <em>residuals</em> the backward loop reads instead of recomputing the step. A loop
 * computes only the outputs something uses, so unused residuals cost nothing.
 *
 * @param loop         an id unique to this loop, shared by its variables
 * @param carries      the carry variables, in order
 * @param slices       the sequence-slice variables, in order
 * @param carryResults the next value of each carry
 * @param stepResults  the values stacked per step: the user's, the carry variables, the residuals
 * @param userSteps    how many of the step results are the user's
 */
public record ScanBody(int loop, int length, boolean reverse, List<Node> carries, List<Node> slices, List<Node> carryResults,
                       List<Node> stepResults, int userSteps) {
    private static final AtomicInteger IDS = new AtomicInteger();

    public ScanBody {
        carries = List.copyOf(carries);
        slices = List.copyOf(slices);
        carryResults = List.copyOf(carryResults);
        stepResults = List.copyOf(stepResults);
        if (length < 1) throw new IllegalArgumentException("a scan needs at least one step, got " + length);
        if (carries.size() != carryResults.size())
            throw new IllegalArgumentException(carries.size() + " carries but " + carryResults.size() + " carry results");
        for (int i = 0; i < carries.size(); i++)
            if (!carries.get(i).type().equals(carryResults.get(i).type()))
                throw new IllegalArgumentException("carry " + i + " is " + carries.get(i).type() + " but its next value is " + carryResults.get(i).type());
        if (userSteps < 0 || userSteps + carries.size() > stepResults.size()
                || !stepResults.subList(userSteps, userSteps + carries.size()).equals(carries))
            throw new IllegalArgumentException("the user's step results must be followed by the carry variables");
    }

    /** A fresh loop id. */
    public static int newLoopId() { return IDS.incrementAndGet(); }

    /** Makes every later {@link #newLoopId()} greater than {@code id} (a loop read from text keeps its id). */
    public static void reserveLoopId(int id) { IDS.accumulateAndGet(id, Math::max); }

    /**
     * A body whose step results are {@code userSteps}, then the carries, then the residuals (see the
     * class comment).
     */
    public static ScanBody of(int loop, int length, boolean reverse, List<Node> carries, List<Node> slices, List<Node> carryResults,
                              List<Node> userSteps) {
        List<Node> steps = new ArrayList<>(userSteps);
        steps.addAll(carries);
        ScanBody draft = new ScanBody(loop, length, reverse, carries, slices, carryResults, steps, userSteps.size());
        Set<Node> listed = Collections.newSetFromMap(new IdentityHashMap<>());
        listed.addAll(steps);
        for (Node n : draft.nodes())
            if (!(n.op() instanceof Op.LoopVar) && listed.add(n)) steps.add(n);
        return new ScanBody(loop, length, reverse, carries, slices, carryResults, steps, userSteps.size());
    }

    /** The output index of the stacked values of body node {@code n} (a user step result, a carry or a residual); -1 when none. */
    public int stackedOutput(Node n) {
        int k = stepResults.indexOf(n);
        return k < 0 ? -1 : carries.size() + k;
    }

    /** Outputs of the scan: one per carry (its final value), then one stacked tensor per step result. */
    public int outputCount() { return carries.size() + stepResults.size(); }

    /** The output index of the stacked carry values at the start of each step, for carry {@code i}. */
    public int carryInOutput(int i) { return carries.size() + userSteps + i; }

    /** The output index of the stacked user step result {@code k}. */
    public int stepOutput(int k) { return carries.size() + k; }

    /** The type of output {@code k}: a carry's, or a step result's with a leading axis of {@code length}. */
    public TensorType outputType(int k) {
        if (k < carries.size()) return carries.get(k).type();
        TensorType step = stepResults.get(k - carries.size()).type();
        return new TensorType(step.dtype(), stacked(step.shape(), length));
    }

    /** {@code [length, …s]}. */
    public static Shape stacked(Shape s, int length) {
        List<Dim> dims = new ArrayList<>();
        dims.add(Dim.of(length));
        for (int i = 0; i < s.rank(); i++) dims.add(s.dim(i));
        return new Shape(dims);
    }

    /** {@code s} without its leading axis. */
    public static Shape slice(Shape s) {
        List<Dim> dims = new ArrayList<>();
        for (int i = 1; i < s.rank(); i++) dims.add(s.dim(i));
        return new Shape(dims);
    }

    /** All results: carry results, then step results. */
    public List<Node> results() {
        List<Node> r = new ArrayList<>(carryResults);
        r.addAll(stepResults);
        return r;
    }

    /** True for a variable of this loop. */
    public boolean isVariable(Node n) { return n.op() instanceof Op.LoopVar v && v.loop() == loop; }

    /** The body nodes (those depending on a variable of this loop, variables included), in id (topological) order. */
    public List<Node> nodes() { return nodes(results()); }

    /** The body nodes that {@code roots} (some of the results) need, in id order. */
    public List<Node> nodes(List<Node> roots) {
        Map<Node, Boolean> memo = new IdentityHashMap<>();
        List<Node> out = new ArrayList<>();
        for (Node r : roots) collect(r, memo, out);
        out.sort(Comparator.comparingInt(Node::id));
        return out;
    }

    /**
     * The loop-invariant values the body reads (see the class comment), in id order; constants and
     * run-time sizes are immediates and not among them.
     */
    public List<Node> captures() {
        Set<Node> body = Collections.newSetFromMap(new IdentityHashMap<>());
        body.addAll(nodes());
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> out = new ArrayList<>();
        List<Node> candidates = new ArrayList<>();
        for (Node n : body) candidates.addAll(n.inputs());
        candidates.addAll(results());
        for (Node c : candidates)
            if (!body.contains(c) && !isImmediate(c) && seen.add(c)) out.add(c);
        out.sort(Comparator.comparingInt(Node::id));
        return out;
    }

    private static boolean isImmediate(Node n) {
        if (n.op() instanceof Op.Reshape) return isImmediate(n.input(0));
        return n.op() instanceof Op.Constant || n.op() instanceof Op.DimSize;
    }

    private boolean collect(Node n, Map<Node, Boolean> memo, List<Node> out) {
        Boolean known = memo.get(n);
        if (known != null) return known;
        boolean variant = isVariable(n);
        for (Node in : n.inputs()) variant |= collect(in, memo, out);
        memo.put(n, variant);
        if (variant) out.add(n);
        return variant;
    }

    @Override public String toString() { return "loop" + loop; }
}
