package nnc.schedule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelAccess;

/**
 * An entry's kernels while {@link EpilogueMerging} rearranges them, indexed by buffer. Positions stay
 * fixed: a kernel removed leaves an empty slot (null), a kernel moved takes the slot of the one it
 * replaces. For each buffer the index holds the positions of the kernels that read it, write it
 * ({@link KernelAccess}) or load it in a pointwise value, so whether a kernel can move past the
 * kernels between two positions, and which kernels may consume a value, are lookups rather than
 * scans of the list: merging stays near-linear in the number of kernels.
 */
final class KernelSlots {
    private final Kernel[] slots;
    private final List<List<Buffer>> reads = new ArrayList<>(), writes = new ArrayList<>(), loads = new ArrayList<>();
    private final Map<Integer, TreeSet<Integer>> readers = new HashMap<>(), writers = new HashMap<>(), loaders = new HashMap<>();
    /** Positions of pointwise kernels over a scalar domain (they join a scalar epilogue without reading it). */
    private final TreeSet<Integer> scalarPointwise = new TreeSet<>();

    KernelSlots(List<Kernel> kernels) {
        slots = new Kernel[kernels.size()];
        for (int i = 0; i < slots.length; i++) {
            reads.add(List.of());
            writes.add(List.of());
            loads.add(List.of());
            set(i, kernels.get(i));
        }
    }

    int size() { return slots.length; }

    /** The kernel at {@code i}, or null when its slot is empty. */
    Kernel get(int i) { return slots[i]; }

    /** Empties slot {@code i}. */
    void remove(int i) { set(i, null); }

    /** Puts {@code k} (null: nothing) in slot {@code i}, replacing what was there. */
    void set(int i, Kernel k) {
        if (slots[i] != null) {
            unindex(readers, reads.get(i), i);
            unindex(writers, writes.get(i), i);
            unindex(loaders, loads.get(i), i);
            scalarPointwise.remove(i);
        }
        slots[i] = k;
        reads.set(i, k == null ? List.of() : KernelAccess.reads(k));
        writes.set(i, k == null ? List.of() : KernelAccess.writes(k));
        loads.set(i, k == null ? List.of() : loadedBuffers(k));
        index(readers, reads.get(i), i);
        index(writers, writes.get(i), i);
        index(loaders, loads.get(i), i);
        if (k != null && scalarDomain(k)) scalarPointwise.add(i);
    }

    /** The kernels in their slots' order. */
    List<Kernel> kernels() {
        List<Kernel> out = new ArrayList<>();
        for (Kernel k : slots) if (k != null) out.add(k);
        return out;
    }

    /**
     * True when {@code k} can run before or after every kernel strictly between positions {@code i}
     * and {@code j}: none of them writes what k reads, or reads or writes what k writes.
     */
    boolean canMovePast(Kernel k, int i, int j) {
        for (Buffer b : KernelAccess.reads(k)) if (any(writers, b, i, j)) return false;
        for (Buffer b : KernelAccess.writes(k)) if (any(writers, b, i, j) || any(readers, b, i, j)) return false;
        return true;
    }

    /**
     * The first position after {@code after} of a pointwise kernel or reduction that loads one of
     * {@code buffers}, or (when {@code scalar}) of a pointwise kernel over a scalar domain; -1 when none.
     */
    int nextLoader(List<Buffer> buffers, boolean scalar, int after) {
        int next = Integer.MAX_VALUE;
        for (Buffer b : buffers) {
            TreeSet<Integer> at = loaders.get(b.id());
            Integer p = at == null ? null : at.higher(after);
            if (p != null) next = Math.min(next, p);
        }
        if (scalar) {
            Integer p = scalarPointwise.higher(after);
            if (p != null) next = Math.min(next, p);
        }
        return next == Integer.MAX_VALUE ? -1 : next;
    }

    private static boolean any(Map<Integer, TreeSet<Integer>> index, Buffer b, int i, int j) {
        TreeSet<Integer> at = index.get(b.id());
        if (at == null) return false;
        Integer p = at.higher(i);
        return p != null && p < j;
    }

    private static void index(Map<Integer, TreeSet<Integer>> index, List<Buffer> buffers, int i) {
        for (Buffer b : buffers) index.computeIfAbsent(b.id(), x -> new TreeSet<>()).add(i);
    }

    private static void unindex(Map<Integer, TreeSet<Integer>> index, List<Buffer> buffers, int i) {
        for (Buffer b : buffers) index.get(b.id()).remove(i);
    }

    /** The buffers loaded by the values of a pointwise, fused or reduce kernel (the only kinds that consume at a point). */
    private static List<Buffer> loadedBuffers(Kernel k) {
        List<KExpr> values = new ArrayList<>();
        if (k instanceof Kernel.Pointwise p) {
            values.add(p.value());
        } else if (k instanceof Kernel.Fused f) {
            f.parts().forEach(p -> values.add(p.value()));
        } else if (k instanceof Kernel.Reduce r) {
            r.prologue().forEach(p -> values.add(p.value()));
            values.add(r.value());
        }
        Map<Integer, Buffer> out = new LinkedHashMap<>();
        for (KExpr v : values) for (KExpr.Load l : KExpr.loads(v)) out.putIfAbsent(l.buffer().id(), l.buffer());
        return List.copyOf(out.values());
    }

    private static boolean scalarDomain(Kernel k) {
        if (k instanceof Kernel.Pointwise p) return p.domain().isScalar();
        if (k instanceof Kernel.Fused f) return f.domain().isScalar();
        return false;
    }
}
