package nnc.schedule;

import java.util.ArrayList;
import java.util.List;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelPass;
import nnc.kir.KernelProgram;
import nnc.types.Size;

/**
 * Runs consecutive pointwise kernels over the same domain as one loop nest ({@link Kernel.Fused}):
 * an optimiser's updates of one parameter (Adam's m, v and the weight) read the gradient and
 * write three buffers in one pass instead of three. Two kernels join when, between the joined
 * parts, a buffer one writes is read by another only at the same point (contiguous loads), no buffer
 * is written twice, and each part is as vectorisable as the others (loads contiguous or uniform, and
 * ops with a lanewise form), so joining never turns vector loops scalar. Kernels over a scalar
 * domain join freely. Results do not change: each point sees what it would see with the parts run
 * one after another. A group stops growing when one more part would not fit in a method
 * ({@link MergeBudget}). The {@code pointwise-merging} pass: it merges each entry's kernels and,
 * apart, those of each loop's body (an LSTM step's gates and cell), where a step copy ends a group.
 */
public final class PointwiseMerging implements KernelPass {
    /** How many kernels in between may move ahead of a group. */
    static final int LOOKAHEAD = 8;

    @Override public String name() { return "pointwise-merging"; }

    @Override public KernelProgram run(KernelProgram program) {
        return program.withEntries(program.entries().stream().map(e -> new KernelProgram.Entry(e.name(), merge(e.kernels()))).toList());
    }

    static List<Kernel> merge(List<Kernel> kernels) {
        List<Kernel> out = new ArrayList<>();
        List<Kernel.Pointwise> group = new ArrayList<>();
        for (int i = 0; i < kernels.size(); i++) {
            Kernel k = kernels.get(i);
            if (k instanceof Kernel.Loop l) k = new Kernel.Loop(l.steps(), l.reverse(), merge(l.body()), l.out());
            if (k instanceof Kernel.Pointwise p && simple(p) && (group.isEmpty() || joinsWithin(group, p))) {
                group.add(p);
                continue;
            }
            // pointwise kernels between two parts that could join (Adam's bias corrections between a
            // parameter's moment updates and its weight update) run before the group instead, when
            // they and the group touch none of each other's buffers
            int j = i;
            while (j < kernels.size() && j < i + LOOKAHEAD && !group.isEmpty() && kernels.get(j) instanceof Kernel.Pointwise p
                    && !(simple(p) && joinsWithin(group, p)) && independent(p, group)) j++;
            if (j > i && j < kernels.size() && kernels.get(j) instanceof Kernel.Pointwise next && simple(next) && joinsWithin(group, next)) {
                out.addAll(merge(kernels.subList(i, j)));
                i = j - 1;
                continue;
            }
            flush(group, out);
            if (k instanceof Kernel.Pointwise p && simple(p)) group.add(p);
            else out.add(k);
        }
        flush(group, out);
        return out;
    }

    /** {@code k} neither reads nor writes a buffer the group writes, nor writes one the group reads. */
    private static boolean independent(Kernel.Pointwise k, List<Kernel.Pointwise> group) {
        for (Kernel.Pointwise q : group) {
            if (q.out() == k.out() || reads(k, q.out()) || reads(q, k.out())) return false;
        }
        return true;
    }

    private static boolean reads(Kernel.Pointwise p, Buffer b) {
        for (KExpr.Load l : KExpr.loads(p.value())) if (l.buffer() == b) return true;
        return false;
    }

    private static void flush(List<Kernel.Pointwise> group, List<Kernel> out) {
        if (group.size() == 1) out.add(group.get(0));
        else if (group.size() > 1) out.add(new Kernel.Fused(group.get(0).domain(), group));
        group.clear();
    }

    /** {@code p} joins {@code group} and the merged kernel still fits in one method ({@link MergeBudget}). */
    private static boolean joinsWithin(List<Kernel.Pointwise> group, Kernel.Pointwise p) {
        if (!joins(group, p)) return false;
        List<Kernel.Pointwise> all = new ArrayList<>(group);
        all.add(p);
        return MergeBudget.fits(all);
    }

    static boolean joins(List<Kernel.Pointwise> group, Kernel.Pointwise p) {
        if (!simple(p) || !p.domain().equals(group.get(0).domain())) return false;
        for (Kernel.Pointwise q : group) {
            if (q.out() == p.out()) return false;
            if (!onlySamePoint(p, q.out()) || !onlySamePoint(q, p.out())) return false;
        }
        return true;
    }

    /** Every load of {@code b} in {@code p} reads the element p writes at the same point. */
    private static boolean onlySamePoint(Kernel.Pointwise p, Buffer b) {
        for (KExpr.Load l : KExpr.loads(p.value())) if (l.buffer() == b && !l.isContiguousFor(p.domain())) return false;
        return true;
    }

    /** Loads contiguous or uniform, and ops with a lanewise form: over a scalar domain, anything. */
    static boolean simple(Kernel.Pointwise p) {
        return p.domain().isScalar() || lanewise(p.value(), p);
    }

    private static boolean lanewise(KExpr e, Kernel.Pointwise p) {
        if (e instanceof KExpr.Load l) return l.isContiguousFor(p.domain()) || !l.guarded() && l.strides().stream().allMatch(Size::isZero);
        if (e instanceof KExpr.Const) return true;
        if (e instanceof KExpr.DimSize) return true;
        if (e instanceof KExpr.Unary u) return u.fn().lanes().available() && lanewise(u.x(), p);
        if (e instanceof KExpr.Binary b) return b.fn().lanes().available() && lanewise(b.a(), p) && lanewise(b.b(), p);
        if (e instanceof KExpr.Select s) return lanewise(s.cond(), p) && lanewise(s.a(), p) && lanewise(s.b(), p);
        if (e instanceof KExpr.Index) return false;
        if (e instanceof KExpr.OneHot) return false;
        if (e instanceof KExpr.Gather) return false;
        throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }
}
