package nnc.emit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.ir.BinaryFn;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * How a pointwise or reduce kernel iterates its domain, planned once so that both emitters write the
 * same loops. Domain axes of size 1 are dropped; neighbouring axes are merged into one loop when every
 * access (the output and each load) walks them as one run — so a kernel whose loads are all
 * contiguous or all-zero-stride becomes a single flat loop. Merging keeps row-major order, so the
 * points are visited in the order the Kernel IR prescribes. Axes a one-hot term compares with stay
 * loops of their own. Offsets are sums of {@code index * stride}; the part that depends only on outer
 * loops is hoisted into {@link OffsetVar}s declared at the top of the loop body that completes it.
 *
 * <p>Emitters write, for loop {@code d}: {@code for (int var = 0; var < extent; var++) { offsets(d) … }}.
 * Pointwise: innermost body {@code out[outOffset] = value}. Reduce: loops {@code [0, accDepth)} are
 * the "output" loops; inside them {@code float acc = accumulatesIntoOut ? out[outOffset] : identity},
 * then the loops {@code [accDepth, size)} (all reduced) fold {@code value} into {@code acc}, then
 * {@code out[outOffset] = acc}. When {@code accumulatesIntoOut}, the emitter first fills the
 * {@link #outSize()} output elements with the identity; if moreover no loop is left to fold in
 * ({@link #foldsInPlace()}), it folds straight into the element: {@code out[outOffset] += value}.
 * A reduce kernel's output must therefore not be one of the buffers its value reads.
 */
public final class LoopNest {
    /** One loop: its variable, trip count, the domain axes it covers, and whether they are reduced. */
    public record Loop(String var, IntExpr extent, List<Integer> axes, boolean reduced) {
        public Loop { axes = List.copyOf(axes); }
    }

    /** {@code int name = value;} declared at the top of a loop body. */
    public record OffsetVar(String name, IntExpr value) {}

    private final List<Loop> loops = new ArrayList<>();
    private final List<List<OffsetVar>> offsets = new ArrayList<>();
    private final Map<KExpr.Load, IntExpr> loadOffsets = new LinkedHashMap<>();
    private final Map<Integer, IntExpr> axisIndex = new HashMap<>();
    private final IntExpr outOffset;
    private final IntExpr outSize;
    private final int accDepth;
    private final boolean accumulatesIntoOut;

    private LoopNest(Shape domain, Set<Integer> reducedAxes, KExpr value) {
        int rank = domain.rank();
        Set<Integer> pinned = oneHotAxes(value);
        for (int axis : pinned)
            if (axis < 0 || axis >= rank) throw new IllegalArgumentException("one-hot axis " + axis + " outside domain " + domain);
        for (int axis : reducedAxes)
            if (axis < 0 || axis >= rank) throw new IllegalArgumentException("reduced axis " + axis + " outside domain " + domain);
        List<KExpr.Load> loads = KExpr.loads(value);
        for (KExpr.Load l : loads)
            if (l.strides().size() != rank)
                throw new IllegalArgumentException("load " + l + " has " + l.strides().size() + " strides for domain " + domain);
        List<Size> outStrides = outStrides(domain, reducedAxes);
        List<List<Size>> accesses = new ArrayList<>();
        accesses.add(outStrides);
        for (KExpr.Load l : loads) accesses.add(l.strides());

        planLoops(domain, reducedAxes, pinned, accesses);
        for (int k = 0; k < loops.size(); k++) offsets.add(new ArrayList<>());
        int depth = loops.size();
        while (depth > 0 && loops.get(depth - 1).reduced()) depth--;
        this.accDepth = depth;
        this.accumulatesIntoOut = loops.subList(0, depth).stream().anyMatch(Loop::reduced);
        this.outSize = IntExpr.of(domain.without(reducedAxes).numel());
        Map<List<IntExpr>, IntExpr> hoisted = new HashMap<>();
        this.outOffset = offset(outStrides, accDepth - 1, hoisted);
        for (KExpr.Load l : loads) {
            IntExpr at = offset(l.strides(), loops.size() - 1, hoisted);
            for (Size term : l.offset()) at = IntExpr.add(at, IntExpr.of(term));
            loadOffsets.put(l, at);
        }
    }

    /** The plan of a pointwise kernel. */
    public static LoopNest of(Kernel.Pointwise k) {
        return new LoopNest(k.domain(), Set.of(), k.value());
    }

    /** The plan of pointwise kernels over one domain run in one nest (the parts of a fused kernel). */
    public static LoopNest of(List<Kernel.Pointwise> parts) { return of(together(parts)); }

    /**
     * One pointwise kernel standing for {@code parts} when planning loops and vectors: the first
     * output (all have the domain's layout) and a value reading every part's loads.
     */
    public static Kernel.Pointwise together(List<Kernel.Pointwise> parts) {
        KExpr all = parts.get(0).value();
        for (Kernel.Pointwise p : parts.subList(1, parts.size())) all = new KExpr.Binary(BinaryFn.ADD, all, p.value());
        return new Kernel.Pointwise(parts.get(0).domain(), parts.get(0).out(), all);
    }

    /** The plan of a reduce kernel (with its prologue's loads and stores). */
    public static LoopNest of(Kernel.Reduce k) {
        LoopNest nest = new LoopNest(k.domain(), Set.copyOf(k.axes()), planningValue(k));
        if (!k.prologue().isEmpty() && !nest.foldsInPlace())
            throw new IllegalStateException("a reduction with a prologue must fold in place: " + k);
        return nest;
    }

    /**
     * The value a reduce kernel is planned (and vectorised) with: its own, plus each prologue part's
     * value and a load of the part's output at the point (where the part stores).
     */
    public static KExpr planningValue(Kernel.Reduce k) {
        KExpr all = k.value();
        for (Kernel.Pointwise p : k.prologue())
            all = new KExpr.Binary(BinaryFn.ADD, all, new KExpr.Binary(BinaryFn.ADD, p.value(), store(p)));
        return all;
    }

    /** The element a prologue part writes at the point, as a load (its offset is {@link #offset(KExpr.Load)}). */
    public static KExpr.Load store(Kernel.Pointwise p) { return new KExpr.Load(p.out(), outStrides(p.domain(), Set.of())); }

    /** Loops from outermost to innermost; empty for a scalar domain. */
    public List<Loop> loops() { return Collections.unmodifiableList(loops); }

    /** True when the kernel runs as one loop over all its points. */
    public boolean isFlat() { return loops.size() == 1; }

    /** Offsets to declare at the top of the body of loop {@code depth}, in order. */
    public List<OffsetVar> offsetsAt(int depth) { return Collections.unmodifiableList(offsets.get(depth)); }

    /** Offset of {@code load} inside the innermost loop. */
    public IntExpr offset(KExpr.Load load) {
        IntExpr e = loadOffsets.get(load);
        if (e == null) throw new IllegalArgumentException("load " + load + " is not part of this kernel");
        return e;
    }

    /** Index of domain axis {@code axis} (for one-hot terms): its loop variable, or 0 for an axis of size 1. */
    public IntExpr axisIndex(int axis) {
        return axisIndex.getOrDefault(axis, IntExpr.ZERO);
    }

    /** Offset of the output element, valid inside loop {@code accDepth() - 1}. */
    public IntExpr outOffset() { return outOffset; }

    /** Number of output elements (the domain's element count for a pointwise kernel). */
    public IntExpr outSize() { return outSize; }

    /** Loops {@code [accDepth, size)} fold into the accumulator; equals the loop count for pointwise kernels. */
    public int accDepth() { return accDepth; }

    /** True when a reduced loop encloses the accumulator, so the output is pre-filled and read back. */
    public boolean accumulatesIntoOut() { return accumulatesIntoOut; }

    /**
     * True when a reduce kernel folds each term straight into its output element (the innermost loop
     * is not reduced, but an outer one is): {@code out[o] = fold(out[o], value)} — the same float
     * operations as going through an accumulator, with less code.
     */
    public boolean foldsInPlace() { return accumulatesIntoOut && accDepth == loops.size(); }

    /** Per domain axis, the output's stride: 0 on reduced axes. */
    static List<Size> outStrides(Shape domain, Set<Integer> reducedAxes) {
        List<Size> kept = domain.without(reducedAxes).strides();
        List<Size> out = new ArrayList<>();
        int pos = 0;
        for (int axis = 0; axis < domain.rank(); axis++)
            out.add(reducedAxes.contains(axis) ? Size.of(0) : kept.get(pos++));
        return out;
    }

    private void planLoops(Shape domain, Set<Integer> reduced, Set<Integer> pinned, List<List<Size>> accesses) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Size> extents = new ArrayList<>();
        for (int axis = 0; axis < domain.rank(); axis++) {
            Dim d = domain.dim(axis);
            if (d.isOne()) continue;
            Size n = d.asSize();
            if (!groups.isEmpty()) {
                List<Integer> last = groups.get(groups.size() - 1);
                int prev = last.get(last.size() - 1);
                if (mergeable(prev, axis, n, reduced, pinned, accesses)) {
                    last.add(axis);
                    extents.set(extents.size() - 1, extents.get(extents.size() - 1).times(n));
                    continue;
                }
            }
            groups.add(new ArrayList<>(List.of(axis)));
            extents.add(n);
        }
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> axes = groups.get(g);
            String var = groups.size() == 1 ? "x" : "i" + axes.get(0);
            loops.add(new Loop(var, IntExpr.of(extents.get(g)), axes, reduced.contains(axes.get(0))));
            if (axes.size() == 1) axisIndex.put(axes.get(0), IntExpr.var(var));
        }
    }

    private static boolean mergeable(int prev, int axis, Size n, Set<Integer> reduced, Set<Integer> pinned,
                                     List<List<Size>> accesses) {
        if (pinned.contains(prev) || pinned.contains(axis)) return false;
        if (reduced.contains(prev) != reduced.contains(axis)) return false;
        for (List<Size> s : accesses)
            if (!sameSize(s.get(prev), s.get(axis).times(n))) return false;
        return true;
    }

    private static boolean sameSize(Size a, Size b) {
        return a.isZero() && b.isZero() || a.equals(b);
    }

    /** Offset expression for per-axis strides, valid inside loop {@code useDepth}, hoisting partial sums. */
    private IntExpr offset(List<Size> axisStrides, int useDepth, Map<List<IntExpr>, IntExpr> hoisted) {
        IntExpr cur = IntExpr.ZERO;
        for (int d = 0; d <= useDepth; d++) {
            Loop loop = loops.get(d);
            Size stride = axisStrides.get(loop.axes().get(loop.axes().size() - 1));
            IntExpr term = IntExpr.mul(IntExpr.var(loop.var()), IntExpr.of(stride));
            if (term.isZero()) continue;
            cur = IntExpr.add(cur, term);
            if (d < useDepth && !(cur instanceof IntExpr.Var)) {
                List<IntExpr> key = List.of(IntExpr.lit(d), cur);
                IntExpr known = hoisted.get(key);
                if (known == null) {
                    String name = "o" + hoisted.size();
                    offsets.get(d).add(new OffsetVar(name, cur));
                    known = IntExpr.var(name);
                    hoisted.put(key, known);
                }
                cur = known;
            }
        }
        return cur;
    }

    /** The domain axes whose loop index {@code e} reads: one-hot terms compare with it, index terms are it. */
    private static Set<Integer> oneHotAxes(KExpr e) {
        Set<Integer> out = new LinkedHashSet<>();
        collectOneHotAxes(e, out);
        return out;
    }

    private static void collectOneHotAxes(KExpr e, Set<Integer> out) {
        if (e instanceof KExpr.Unary u) {
            collectOneHotAxes(u.x(), out);
        } else if (e instanceof KExpr.Binary b) {
            collectOneHotAxes(b.a(), out);
            collectOneHotAxes(b.b(), out);
        } else if (e instanceof KExpr.Select s) {
            collectOneHotAxes(s.cond(), out);
            collectOneHotAxes(s.a(), out);
            collectOneHotAxes(s.b(), out);
        } else if (e instanceof KExpr.OneHot h) {
            out.add(h.axis());
        } else if (e instanceof KExpr.Index i) {
            out.add(i.axis()); // read as a loop variable of its own
        } else if (!(e instanceof KExpr.Load || e instanceof KExpr.Const || e instanceof KExpr.DimSize || e instanceof KExpr.Gather)) {
            // (a gather's column is an ordinary load offset)
            throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
        }
    }
}
