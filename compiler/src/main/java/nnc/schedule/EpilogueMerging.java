package nnc.schedule;

import java.util.ArrayList;
import java.util.List;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelPass;
import nnc.kir.KernelProgram;
import nnc.runtime.kernels.VectorWarmup;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * Runs the kernels that consume a product's or a reduction's output at the same point after it, in
 * the same method ({@link Kernel.WithEpilogue}), and sums over the batch inside the loop that
 * computes what they sum ({@link Kernel.Reduce#prologue()}):
 * <ul>
 *   <li>the optimiser's update of a weight runs right after the GEMM computing its gradient, the
 *       update of a bias right after the sum of its gradient, the loss's division by the batch (and
 *       the optimiser's scalar bias corrections) right after the loss's sum;</li>
 *   <li>a sum over the batch (a bias's gradient) folds in the loop nest of the pointwise kernel or
 *       epilogue that computes the gradient it sums (the softmax gradient, an activation's
 *       derivative after the GEMM of the layer above), which still stores it for its other readers.</li>
 * </ul>
 * A consumer is over the shape of the output before it, reads it only at the same point, and is as
 * vectorisable as the kernels it joins ({@link PointwiseMerging}'s rules); pointwise kernels over a
 * scalar domain join a scalar epilogue freely. A consumer further down the list moves up to its
 * producer when no kernel in between writes what it reads or touches what it writes; otherwise the
 * producer moves down to it under the same rule (a weight's update must wait for the GEMM that
 * reads the old weight, so the gradient's GEMM moves down to the update). Each kernel sees the
 * values it would see in the original order, so results do not change. A merged kernel stops
 * growing when it would no longer fit in one method ({@link MergeBudget}). Consumers are found,
 * and moves checked, through an index of the kernels by buffer ({@link KernelSlots}). The
 * {@code epilogue-merging} pass: it merges each entry's kernels (not those inside a loop's body).
 */
public final class EpilogueMerging implements KernelPass {
    @Override public String name() { return "epilogue-merging"; }

    @Override public KernelProgram run(KernelProgram program) {
        return program.withEntries(program.entries().stream().map(e -> new KernelProgram.Entry(e.name(), merge(e.kernels()))).toList());
    }

    static List<Kernel> merge(List<Kernel> kernels) {
        KernelSlots ks = new KernelSlots(kernels);
        for (int i = 0; i < ks.size(); i++) {
            if (ks.get(i) == null) continue;
            int revisit = -1; // a producer that moved down leaves kernels behind it not yet tried as producers
            // the consumers of the head's last output, first to last (those of the merged kernel after each merge)
            for (int j = next(ks, ks.get(i), i); j >= 0; j = next(ks, ks.get(i), j)) {
                Kernel head = ks.get(i), c = ks.get(j);
                Kernel merged = extend(head, c);
                if (merged == null) continue;
                if (ks.canMovePast(c, i, j)) {
                    ks.remove(j);
                    ks.set(i, merged);
                } else if (ks.canMovePast(head, i, j)) {
                    ks.remove(i);
                    if (revisit < 0) revisit = i + 1;
                    i = j;
                    ks.set(i, merged);
                } else {
                    continue;
                }
                j = i;
            }
            if (revisit >= 0) i = revisit - 1;
        }
        return ks.kernels();
    }

    /**
     * The next kernel after position {@code after} that may consume {@code head}'s last output
     * ({@link #extend} is null for every kernel in between): it loads what the last stage writes, or
     * is pointwise over a scalar domain when that output is a scalar.
     */
    private static int next(KernelSlots ks, Kernel head, int after) {
        Kernel last = head instanceof Kernel.WithEpilogue w ? w.stages().get(w.stages().size() - 1) : head;
        return ks.nextLoader(written(last), last.out().shape().isScalar(), after);
    }

    /** {@code head} and then {@code c} as one kernel, or null when c does not consume head's last output at the same point. */
    private static Kernel extend(Kernel head, Kernel c) {
        Kernel base = head instanceof Kernel.WithEpilogue w ? w.head() : head;
        List<Kernel> before = new ArrayList<>(head instanceof Kernel.WithEpilogue w ? w.stages() : List.of());
        Kernel last = before.isEmpty() ? base : before.remove(before.size() - 1); // the stage c would follow
        List<Kernel.Pointwise> lastParts = pointwiseParts(last);
        Kernel replacingLast = null, afterLast = null;
        if (c instanceof Kernel.Reduce r && r.prologue().isEmpty() && lastParts != null && absorbs(r, lastParts)) {
            // a sum over the batch folding in the nest that computes what it sums
            replacingLast = new Kernel.Reduce(r.domain(), r.axes(), r.fn(), r.out(), r.value(), lastParts);
            if (last == head) return MergeBudget.fits(replacingLast) ? replacingLast : null;
        } else if (!(base instanceof Kernel.Reduce || base instanceof Kernel.MatMul m && !m.isBatched())) {
            return null;
        } else if (c instanceof Kernel.Reduce r && r.prologue().isEmpty() && foldsInPlace(r) && r.domain().equals(last.out().shape())
                && readsAtPoint(r.value(), written(last), r.domain())) {
            afterLast = r;
        } else {
            List<Kernel.Pointwise> parts = pointwiseParts(c);
            if (parts == null || !consumes(last, parts)) return null;
            if (lastParts != null && last != base && joinsAll(lastParts, parts)) {
                List<Kernel.Pointwise> all = new ArrayList<>(lastParts);
                all.addAll(parts);
                replacingLast = new Kernel.Fused(all.get(0).domain(), all);
            } else {
                afterLast = c;
            }
        }
        List<Kernel> stages = before;
        if (replacingLast != null) stages.add(replacingLast);
        else {
            if (last != base) stages.add(last);
            stages.add(afterLast);
        }
        Kernel merged = new Kernel.WithEpilogue(base, stages);
        return MergeBudget.fits(merged) ? merged : null;
    }

    private static List<Kernel.Pointwise> pointwiseParts(Kernel k) {
        if (k instanceof Kernel.Pointwise p) return List.of(p);
        if (k instanceof Kernel.Fused f) return f.parts();
        return null;
    }

    /** The buffers {@code k} writes whose values a consumer may read at the same point. */
    private static List<Buffer> written(Kernel k) {
        List<Kernel.Pointwise> parts = pointwiseParts(k);
        return parts == null ? List.of(k.out()) : parts.stream().map(Kernel.Pointwise::out).toList();
    }

    /**
     * {@code parts} (one kernel's) can run after {@code last}: over the shape of its output, vectorisable,
     * reading what it wrote only at the same point; and reading it, unless the domain is a scalar.
     */
    private static boolean consumes(Kernel last, List<Kernel.Pointwise> parts) {
        Shape domain = parts.get(0).domain();
        if (!domain.equals(last.out().shape())) return false;
        boolean reads = false;
        for (Kernel.Pointwise p : parts) {
            if (!PointwiseMerging.simple(p) || !readsOnlyAtPoint(p.value(), written(last), domain)) return false;
            reads |= readsAtPoint(p.value(), written(last), domain);
        }
        return reads || domain.isScalar();
    }

    /** Every part of {@code parts} joins the group {@code group} (and the parts before it) under {@link PointwiseMerging}'s rules. */
    private static boolean joinsAll(List<Kernel.Pointwise> group, List<Kernel.Pointwise> parts) {
        List<Kernel.Pointwise> all = new ArrayList<>(group);
        for (Kernel.Pointwise p : parts) {
            if (!PointwiseMerging.joins(all, p)) return false;
            all.add(p);
        }
        return true;
    }

    /**
     * {@code r} folds in place (its reduced axes outside its innermost kept one) over the domain of
     * {@code parts}, which are vectorisable, and reads what they write, only at the same point.
     */
    private static boolean absorbs(Kernel.Reduce r, List<Kernel.Pointwise> parts) {
        Shape domain = parts.get(0).domain();
        if (!r.domain().equals(domain) || !foldsInPlace(r)) return false;
        for (Kernel.Pointwise p : parts) if (!PointwiseMerging.simple(p) && !shortRows(domain)) return false;
        return readsAtPoint(r.value(), parts.stream().map(Kernel.Pointwise::out).toList(), domain);
    }

    /**
     * The innermost axis is shorter than the vector loops' minimum ({@code VectorWarmup.MIN_LENGTH}):
     * such a loop runs its scalar form anyway, so a part without a lanewise form may join it
     * (a softmax gradient over 10 classes, with its one-hot term).
     */
    private static boolean shortRows(Shape domain) {
        return domain.rank() > 0 && domain.last() instanceof Dim.Fixed f && f.size() < VectorWarmup.MIN_LENGTH;
    }

    /** Some axis longer than 1 is reduced, and the innermost axis longer than 1 is kept: each point folds into its own output element. */
    private static boolean foldsInPlace(Kernel.Reduce r) {
        int inner = r.domain().rank() - 1;
        while (inner >= 0 && r.domain().dim(inner).isOne()) inner--;
        boolean reduces = r.axes().stream().anyMatch(a -> !r.domain().dim(a).isOne());
        return reduces && inner >= 0 && !r.axes().contains(inner);
    }

    /** {@code value} reads some of {@code buffers}, and only at the point. */
    private static boolean readsAtPoint(KExpr value, List<Buffer> buffers, Shape domain) {
        return readsOnlyAtPoint(value, buffers, domain) && KExpr.loads(value).stream().anyMatch(l -> buffers.contains(l.buffer()));
    }

    private static boolean readsOnlyAtPoint(KExpr value, List<Buffer> buffers, Shape domain) {
        for (KExpr.Load l : KExpr.loads(value)) if (buffers.contains(l.buffer()) && !atPoint(l, domain)) return false;
        return true;
    }

    /** The load reads the element at the point: the domain's own strides on every axis longer than 1. */
    private static boolean atPoint(KExpr.Load l, Shape domain) {
        if (!l.offset().isEmpty() || l.guarded()) return false;
        List<Size> own = domain.strides();
        for (int a = 0; a < domain.rank(); a++)
            if (!domain.dim(a).isOne() && !l.strides().get(a).equals(own.get(a))) return false;
        return true;
    }
}
