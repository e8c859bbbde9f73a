package nnc.memory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.kir.KernelAccess;

/**
 * Live ranges of the intermediates of one entry: from the kernel that writes a buffer to the last
 * kernel that reads it (kernel indices, inclusive). A value saved for the backward pass is live
 * from its forward kernel to its last backward use, and no longer. An intermediate read before any
 * kernel of the entry writes it would carry a value between calls; it is reported as {@code carried}.
 */
final class Liveness {
    record Range(int def, int lastUse) {
        boolean overlaps(Range o) { return def <= o.lastUse && o.def <= lastUse; }
    }

    final List<Kernel> kernels;
    /** By buffer id (hashing a buffer record hashes its shape). */
    private final Map<Integer, Range> ranges = new HashMap<>();
    private final Set<Integer> carried = new HashSet<>();

    Liveness(List<Kernel> kernels) {
        this.kernels = kernels;
        for (int i = 0; i < kernels.size(); i++) {
            Kernel k = kernels.get(i);
            for (Buffer b : KernelAccess.reads(k)) {
                if (!b.isTemp() || b == k.out()) continue; // a matmul epilogue reads its own product
                Range r = ranges.get(b.id());
                if (r == null) carried.add(b.id());
                else ranges.put(b.id(), new Range(r.def(), i));
            }
            for (Buffer w : KernelAccess.scratch(k)) ranges.merge(w.id(), new Range(i, i), (old, now) -> new Range(old.def(), now.lastUse()));
            Buffer out = k.out();
            if (out.isTemp()) ranges.merge(out.id(), new Range(i, i), (old, now) -> new Range(old.def(), now.lastUse())); // a second write extends the range
        }
    }

    /** The live range of {@code b} in this entry, or null when no kernel of it writes b. */
    Range range(Buffer b) { return ranges.get(b.id()); }

    /** True when {@code b} is read before any kernel of this entry writes it. */
    boolean carries(Buffer b) { return carried.contains(b.id()); }

    /**
     * True when {@code a} and {@code b} need distinct storage in this entry: their ranges overlap,
     * unless the only shared kernel is where one dies and the other is written in place over it.
     */
    boolean interfere(Buffer a, Buffer b) { return interfere(a, ranges.get(a.id()), b, ranges.get(b.id())); }

    /** As {@link #interfere(Buffer, Buffer)}, given their ranges in this entry (null: none). */
    boolean interfere(Buffer a, Range ra, Buffer b, Range rb) {
        if (ra == null || rb == null || !ra.overlaps(rb)) return false;
        if (ra.lastUse() == rb.def() && ra.def() < rb.def()) return !KernelAccess.canWriteInPlace(kernels.get(rb.def()), a, b);
        if (rb.lastUse() == ra.def() && rb.def() < ra.def()) return !KernelAccess.canWriteInPlace(kernels.get(ra.def()), b, a);
        return true;
    }
}
