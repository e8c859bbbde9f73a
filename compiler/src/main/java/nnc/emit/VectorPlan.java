package nnc.emit;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.types.Size;

/**
 * Whether and how the innermost loop of a pointwise or reduce kernel runs as vectors of
 * {@link #LANES} floats ({@code FloatVector.SPECIES_256}, held in a {@code static final} field of the
 * generated class), planned once for both emitters. The innermost loop {@code for (x = 0; x < E; x++)}
 * becomes a main loop {@code for (x = 0; x < loopBound(E); x += 8)} over vectors, then the scalar
 * loop for the tail {@code x < E}.
 *
 * <p>Vectorisable when every load advances by 1 (a vector load) or 0 (invariant: computed as a
 * scalar and broadcast) along the innermost loop, no varying term uses {@code pow}, a one-hot on
 * the innermost axis reads an index invariant along it over a loop of that axis alone
 * ({@code VectorMath.oneHot}), a gather varies only along its row (a vector load at the row's offset), and the output advances by 1 (pointwise, fold in place) or 0 (lane
 * accumulator). Each lane does the float operations the scalar code does for its point (the
 * transcendental functions are {@code VectorMath}'s, the lane twins of {@code ScalarMath}), so
 * pointwise kernels and folds in place give the scalar loop's bits.
 *
 * <p><b>Order of a vectorised reduction</b> ({@link Kind#LANE_ACCUMULATOR}, the innermost loop is
 * reduced and runs over {@code batch} or at least {@link #MIN_LANE_RUN} points). For each run of the innermost loop (E points, B = E − E mod 8): lane accumulators
 * {@code L[0..7]} start at the identity (0 or −∞); point {@code x < B} folds into {@code L[x mod 8]}
 * in increasing x; then the accumulator of the output element folds in
 * {@code ((L0⊕L4)⊕(L2⊕L6))⊕((L1⊕L5)⊕(L3⊕L7))} ({@code nnc.runtime.kernels.Lanes}); then the tail points
 * {@code B ≤ x < E} fold into it in order. Sums therefore differ from the scalar order by rounding
 * only (the interpreter, which folds in plain row-major order, agrees within 1e-5 of each tensor's
 * largest magnitude, as BackendAgreementTest and SimdAgreementTest check);
 * both emitters and the tests' reference evaluator use exactly this order, so they agree bitwise.
 *
 * <p><b>Scalar twins.</b> Each vectorised kernel method also holds a scalar version with the same
 * bits (scalar loops; for lane accumulators, the 8 lanes in a {@code float[]} with point x folding
 * into {@code lanes[x & 7]}), which it runs for short inner loops and while the JIT warms up
 * ({@code nnc.runtime.kernels.VectorWarmup}).
 */
public final class VectorPlan {
    /** Floats per vector: the species is fixed at 256 bits, so results do not depend on the machine. */
    public static final int LANES = 8;

    /**
     * Shortest constant run a reduction folds through lane accumulators. Shorter ones (softmax over 10
     * classes, say) gain little from vectors, so they stay scalar and keep the plain order, which is
     * also the interpreter's; runs of {@code batch} points always use lanes.
     */
    public static final int MIN_LANE_RUN = 32;

    /** How the innermost loop's vectors are consumed. */
    public enum Kind {
        /** {@code out[o + x .. +8] = value}. */
        POINTWISE,
        /** A reduce kernel whose innermost loop is not reduced: {@code out[o + x .. +8] = out ⊕ value}. */
        FOLD_IN_PLACE,
        /** A reduce kernel whose innermost loop is reduced: lane accumulators, see the class comment. */
        LANE_ACCUMULATOR
    }

    private final Kind kind;
    private final LoopNest.Loop inner;
    private final int axis;

    private VectorPlan(Kind kind, LoopNest.Loop inner) {
        this.kind = kind;
        this.inner = inner;
        this.axis = inner.axes().get(inner.axes().size() - 1);
    }

    public Kind kind() { return kind; }

    /** The vectorised (innermost) loop. */
    public LoopNest.Loop inner() { return inner; }

    /** The plan of a pointwise kernel, or empty when it stays scalar. */
    public static Optional<VectorPlan> of(Kernel.Pointwise k, LoopNest nest) {
        if (nest.loops().isEmpty()) return Optional.empty();
        LoopNest.Loop inner = nest.loops().get(nest.loops().size() - 1);
        VectorPlan plan = new VectorPlan(Kind.POINTWISE, inner);
        Size outStride = k.domain().strides().get(plan.axis);
        return outStride.equals(Size.of(1)) && plan.unguarded(k.value()) && plan.accepts(k.value()) ? Optional.of(plan) : Optional.empty();
    }

    /** The plan of pointwise kernels run in one nest (a fused kernel's parts), or empty when they stay scalar. */
    public static Optional<VectorPlan> of(List<Kernel.Pointwise> parts, LoopNest nest) { return of(LoopNest.together(parts), nest); }

    /** The plan of a reduce kernel, or empty when it stays scalar. */
    public static Optional<VectorPlan> of(Kernel.Reduce k, LoopNest nest) {
        if (nest.loops().isEmpty()) return Optional.empty();
        LoopNest.Loop inner = nest.loops().get(nest.loops().size() - 1);
        Kind kind = inner.reduced() ? Kind.LANE_ACCUMULATOR : nest.foldsInPlace() ? Kind.FOLD_IN_PLACE : null;
        if (kind == null) return Optional.empty();
        if (kind == Kind.LANE_ACCUMULATOR && inner.extent() instanceof IntExpr.Lit l && l.value() < MIN_LANE_RUN)
            return Optional.empty();
        VectorPlan plan = new VectorPlan(kind, inner);
        Size outStride = LoopNest.outStrides(k.domain(), Set.copyOf(k.axes())).get(plan.axis);
        Size wanted = kind == Kind.LANE_ACCUMULATOR ? Size.of(0) : Size.of(1);
        if (!(outStride.equals(wanted) || outStride.isZero() && wanted.isZero())) return Optional.empty();
        KExpr value = LoopNest.planningValue(k);
        return plan.unguarded(value) && plan.accepts(value) ? Optional.of(plan) : Optional.empty();
    }

    /**
     * Every guarded load (a padded read) is evaluated only where its selects choose it: vector code
     * computes both branches of a select whose condition varies along the loop (and blends them), but
     * only the chosen branch of one whose condition is the same for every lane (a pad along an outer
     * axis), as scalar code does.
     */
    private boolean unguarded(KExpr e) { return lazilyGuarded(e, false, false); }

    private boolean lazilyGuarded(KExpr e, boolean underLazy, boolean underEager) {
        if (!varies(e)) return !underEager || KExpr.loads(e).stream().noneMatch(KExpr.Load::guarded); // scalar code: lazy
        if (e instanceof KExpr.Load l) return !l.guarded() || underLazy && !underEager;
        if (e instanceof KExpr.Select s && !varies(s.cond())) return lazilyGuarded(s.cond(), underLazy, underEager)
                && lazilyGuarded(s.a(), true, underEager) && lazilyGuarded(s.b(), true, underEager);
        if (e instanceof KExpr.Select s) return lazilyGuarded(s.cond(), underLazy, true) && lazilyGuarded(s.a(), underLazy, true)
                && lazilyGuarded(s.b(), underLazy, true);
        if (e instanceof KExpr.Unary u) return lazilyGuarded(u.x(), underLazy, underEager);
        if (e instanceof KExpr.Binary b) return lazilyGuarded(b.a(), underLazy, underEager) && lazilyGuarded(b.b(), underLazy, underEager);
        if (e instanceof KExpr.Gather) return true;
        if (e instanceof KExpr.OneHot) return true;
        if (e instanceof KExpr.Const) return true;
        if (e instanceof KExpr.DimSize) return true;
        if (e instanceof KExpr.Index) return true;
        throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }

    /** True when {@code e} depends on the innermost loop's index (then it is computed as a vector). */
    public boolean varies(KExpr e) {
        if (e instanceof KExpr.Load l) return !l.strides().get(axis).isZero();
        if (e instanceof KExpr.Const) return false;
        if (e instanceof KExpr.DimSize) return false;
        if (e instanceof KExpr.Index i) return inner.axes().contains(i.axis());
        if (e instanceof KExpr.Unary u) return varies(u.x());
        if (e instanceof KExpr.Binary b) return varies(b.a()) || varies(b.b());
        if (e instanceof KExpr.Select s) return varies(s.cond()) || varies(s.a()) || varies(s.b());
        if (e instanceof KExpr.OneHot h) return varies(h.indices()) || inner.axes().contains(h.axis());
        if (e instanceof KExpr.Gather g) return varies(g.indices()) || varies(g.table());
        throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }

    /** Every varying load is contiguous along the loop, and every varying term has a lanewise form. */
    private boolean accepts(KExpr e) {
        if (!varies(e)) return true;
        if (e instanceof KExpr.Load l) return l.strides().get(axis).equals(Size.of(1));
        if (e instanceof KExpr.Const) return true;
        if (e instanceof KExpr.DimSize) return true;
        if (e instanceof KExpr.Unary u) return u.fn().lanes().available() && accepts(u.x());
        if (e instanceof KExpr.Binary b) return b.fn().lanes().available() && accepts(b.a()) && accepts(b.b());
        // both branches computed per lane, then blended (VectorMath.select): the chosen lane's bits
        if (e instanceof KExpr.Select s) return accepts(s.cond()) && accepts(s.a()) && accepts(s.b());
        // its index invariant along the loop, and the loop over its axis alone: lane L is index first + L
        if (e instanceof KExpr.OneHot h) return !varies(h.indices()) && inner.axes().equals(List.of(h.axis()));
        if (e instanceof KExpr.Index) return false; // an index along the vector axis: the kernel stays scalar
        // one row per vector (its index invariant along the loop), read contiguously
        if (e instanceof KExpr.Gather g) return !varies(g.indices()) && accepts(g.table());
        throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }

    /** For tests: the loads of {@code e} read as vectors. */
    public List<KExpr.Load> vectorLoads(KExpr e) {
        return KExpr.loads(e).stream().filter(this::varies).toList();
    }
}
