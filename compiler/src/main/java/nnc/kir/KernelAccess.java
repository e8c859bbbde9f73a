package nnc.kir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nnc.types.Shape;

/**
 * Which buffers a kernel reads and writes, and how: the facts the merging passes (whether a kernel
 * may move past others, how many buffers a merged method takes) and the memory plan (liveness,
 * writing in place) need.
 */
public final class KernelAccess {
    private KernelAccess() {}

    /** Every load of the kernel (a buffer may occur several times). */
    static List<KExpr.Load> loads(Kernel k) {
        List<KExpr.Load> out = new ArrayList<>();
        if (k instanceof Kernel.Pointwise p) {
            out.addAll(KExpr.loads(p.value()));
        } else if (k instanceof Kernel.Reduce r) {
            // a reduction with a prologue reads what the prologue reads, and what it stored only at the same point (see scratch)
            Set<Buffer> written = new HashSet<>();
            for (Kernel.Pointwise p : r.prologue()) {
                for (KExpr.Load load : loads(p)) if (!written.contains(load.buffer())) out.add(load);
                written.add(p.out());
            }
            for (KExpr.Load load : KExpr.loads(r.value())) if (!written.contains(load.buffer())) out.add(load);
        } else if (k instanceof Kernel.MatMul m) {
            out.add(new KExpr.Load(m.a(), List.of()));
            out.add(new KExpr.Load(m.b(), List.of()));
        } else if (k instanceof Kernel.WithEpilogue w) {
            // the head's reads, then what the stages read, except what the head or an earlier stage wrote (see scratch)
            out.addAll(loads(w.head()));
            Set<Buffer> written = new HashSet<>(List.of(w.head().out()));
            for (Kernel s : w.stages()) {
                for (KExpr.Load load : loads(s)) if (!written.contains(load.buffer())) out.add(load);
                written.add(s.out());
                written.addAll(scratch(s));
            }
        } else if (k instanceof Kernel.Call c) {
            // a library call reads its operands whole (its workspace: see scratch)
            for (Buffer b : c.inputs()) out.add(new KExpr.Load(b, List.of()));
        } else if (k instanceof Kernel.Loop l) {
            // a loop reads what its body reads and does not write first (written buffers: see scratch)
            Set<Buffer> written = new HashSet<>(scratch(l));
            for (Kernel b : l.body()) for (KExpr.Load load : loads(b)) if (!written.contains(load.buffer())) out.add(load);
        } else if (k instanceof Kernel.StepCopy c) {
            out.add(new KExpr.Load(c.from(), List.of()));
        } else if (k instanceof Kernel.Fused f) {
            // a fused kernel reads what its parts read, except what an earlier part wrote (see scratch)
            Set<Buffer> written = new HashSet<>();
            for (Kernel.Pointwise p : f.parts()) {
                for (KExpr.Load load : loads(p)) if (!written.contains(load.buffer())) out.add(load);
                written.add(p.out());
            }
        } else if (k instanceof Kernel.ScatterAdd s) {
            // a scatter-add reads its values and indices whole
            out.add(new KExpr.Load(s.values(), List.of()));
            out.add(new KExpr.Load(s.indices(), List.of()));
        } else throw new IllegalStateException("unexpected " + k.getClass().getSimpleName());
        return out;
    }

    /** Buffers a kernel uses only while it runs (a library call's workspace), none for loops. */
    public static List<Buffer> scratch(Kernel k) {
        if (k instanceof Kernel.Fused f) // the outputs after the first, written by this kernel too
            return f.parts().subList(1, f.parts().size()).stream().map(Kernel.Pointwise::out).toList();
        if (k instanceof Kernel.WithEpilogue w) { // the stages' outputs other than the head's, written by this kernel too
            // loops, not a stream: the memory planner asks for every kernel while this code still runs interpreted at start-up
            List<Buffer> written = new ArrayList<>(scratch(w.head()));
            for (Kernel s : w.stages()) {
                written.add(s.out());
                written.addAll(scratch(s));
            }
            Set<Buffer> out = new LinkedHashSet<>(); // distinct, in order
            for (Buffer b : written) if (b != w.head().out()) out.add(b);
            return Collections.unmodifiableList(new ArrayList<>(out));
        }
        if (k instanceof Kernel.Reduce r) return r.prologue().stream().map(Kernel.Pointwise::out).distinct().toList();
        if (k instanceof Kernel.Loop l) { // every buffer the body writes is live across the whole loop
            List<Buffer> out = new ArrayList<>();
            for (Kernel b : l.body()) {
                out.add(b.out());
                out.addAll(scratch(b));
            }
            return out.stream().distinct().toList();
        }
        return k instanceof Kernel.Call c && c.work() != null ? List.of(c.work()) : List.of();
    }

    /** Every buffer the kernel writes: its output and its other outputs or workspace (see scratch). */
    public static List<Buffer> writes(Kernel k) {
        List<Buffer> out = new ArrayList<>(List.of(k.out()));
        for (Buffer b : scratch(k)) if (!out.contains(b)) out.add(b);
        return out;
    }

    public static List<Buffer> reads(Kernel k) { return loads(k).stream().map(KExpr.Load::buffer).distinct().toList(); }

    /**
     * True when {@code out} may share storage with {@code in} at kernel {@code k}: k is pointwise,
     * writes {@code out}, and every load of {@code in} reads the element k writes at the same point
     * (contiguous strides over the domain). Each element is then read before it is overwritten,
     * whatever order or vector width the loop uses.
     */
    public static boolean canWriteInPlace(Kernel k, Buffer in, Buffer out) {
        if (!(k instanceof Kernel.Pointwise p) || p.out() != out || in.dtype() != out.dtype()) return false;
        Shape domain = p.domain();
        if (!in.shape().numel().equals(domain.numel())) return false;
        for (KExpr.Load l : loads(k)) if (l.buffer() == in && !l.isContiguousFor(domain)) return false;
        return !gathersFrom(p.value(), in);
    }

    /** True when {@code e} gathers rows of {@code table}: read at data-dependent rows, so never overwritten in place. */
    private static boolean gathersFrom(KExpr e, Buffer table) {
        return switch (e) {
            case KExpr.Gather g -> g.table().buffer() == table;
            case KExpr.Unary u -> gathersFrom(u.x(), table);
            case KExpr.Binary b -> gathersFrom(b.a(), table) || gathersFrom(b.b(), table);
            case KExpr.Select s -> gathersFrom(s.cond(), table) || gathersFrom(s.a(), table) || gathersFrom(s.b(), table);
            case KExpr.Load l -> false;
            case KExpr.Const c -> false;
            case KExpr.DimSize d -> false;
            case KExpr.Index i -> false;
            case KExpr.OneHot o -> false;
        };
    }
}
