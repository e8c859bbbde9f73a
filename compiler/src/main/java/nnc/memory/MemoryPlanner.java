package nnc.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nnc.kir.Buffer;
import nnc.kir.KernelPass;
import nnc.kir.KernelProgram;
import nnc.runtime.DType;

/**
 * Liveness-based storage planning: intermediates whose lifetimes never overlap in any entry share
 * one storage slot, and a pointwise kernel may write over an input that dies there when it reads
 * that input element for element (in place). Named tensors (inputs, targets, parameters, state,
 * outputs) keep their own storage: they outlive every step. The kernels are unchanged; the plan is
 * the slot column of {@link KernelProgram#bufferTable()}, from which the runtime allocates one array
 * per slot, once, so a step allocates nothing.
 *
 * <p>Assignment is greedy, largest buffers first: each joins the smallest existing slot of its dtype
 * (the first opened among equals) with no interfering member, or opens a new slot.
 * Results are bitwise those of the unplanned program, since every kernel still reads the values it
 * read before. Each slot indexes its members' live ranges ({@code Slot}), so a deep model's
 * thousands of slots cost a lookup each per buffer, not a walk over their members. The
 * {@code memory-plan} pass.
 */
public final class MemoryPlanner implements KernelPass {
    /** The batch used to compare buffer sizes when choosing slots (any batch gives a valid plan). */
    static final int REFERENCE_BATCH = 64;

    @Override public String name() { return "memory-plan"; }

    @Override public KernelProgram run(KernelProgram program) { return plan(program); }

    /** {@code p} with its storage slots planned. */
    public static KernelProgram plan(KernelProgram p) {
        List<Liveness> entries = p.entries().stream().map(e -> new Liveness(e.kernels())).toList();
        List<Buffer> buffers = p.buffers();
        int[] slot = new int[buffers.size()];
        for (int i = 0; i < slot.length; i++) slot[i] = i;
        List<Buffer> temps = new ArrayList<>();
        for (Buffer b : buffers) if (b.isTemp() && entries.stream().noneMatch(l -> l.carries(b))) temps.add(b);
        long[] sizes = new long[buffers.size()];
        for (Buffer b : temps) sizes[b.id()] = MemoryPlan.bytes(b, REFERENCE_BATCH);
        temps.sort(Comparator.comparingLong((Buffer b) -> -sizes[b.id()]).thenComparingInt(Buffer::id));

        List<Slot> slots = new ArrayList<>();
        // slots by dtype and size, each size's in the order they were opened; a slot is as large as its
        // first member, and buffers come largest first, so every slot fits every buffer still to place
        Map<DType, TreeMap<Long, List<Slot>>> bySize = new HashMap<>();
        for (Buffer b : temps) {
            long size = sizes[b.id()];
            Liveness.Range[] ranges = new Liveness.Range[entries.size()];
            for (int e = 0; e < ranges.length; e++) ranges[e] = entries.get(e).range(b);
            TreeMap<Long, List<Slot>> sized = bySize.computeIfAbsent(b.dtype(), d -> new TreeMap<>());
            Slot best = tightest(sized.tailMap(size, true), b, ranges, entries);
            if (best == null) {
                best = new Slot(b.dtype(), entries.size());
                slots.add(best);
                sized.computeIfAbsent(size, x -> new ArrayList<>()).add(best);
            }
            best.add(b, ranges);
        }
        for (Slot s : slots) {
            int id = s.members.stream().mapToInt(Buffer::id).min().orElseThrow();
            for (Buffer m : s.members) slot[m.id()] = id;
        }
        List<Integer> slotList = new ArrayList<>();
        for (int s : slot) slotList.add(s);
        return p.withSlots(slotList);
    }

    /** The first slot of the smallest size that {@code b} (live over {@code ranges}) interferes with in no entry, or null. */
    private static Slot tightest(Map<Long, List<Slot>> bySize, Buffer b, Liveness.Range[] ranges, List<Liveness> entries) {
        for (List<Slot> same : bySize.values())
            for (Slot s : same) if (!s.interferes(b, ranges, entries)) return s;
        return null;
    }

    /**
     * The buffers sharing one storage slot, and for each entry its members by the kernel that
     * defines them: members never interfere, so their live ranges are disjoint but for a kernel
     * where one dies and the next is written in place over it, and ordered by start they are
     * ordered by end too. Whether a buffer interferes with the slot then takes the few members
     * whose ranges reach into its own, not every member.
     */
    private static final class Slot {
        final DType dtype;
        final List<Buffer> members = new ArrayList<>();
        /** Per entry: the members with a live range there, by the kernel defining them. */
        final List<TreeMap<Integer, Member>> byDef = new ArrayList<>();

        Slot(DType dtype, int entries) {
            this.dtype = dtype;
            for (int e = 0; e < entries; e++) byDef.add(new TreeMap<>());
        }

        /** {@code b}, whose live range in each entry is {@code ranges} (null where it has none). */
        void add(Buffer b, Liveness.Range[] ranges) {
            members.add(b);
            for (int e = 0; e < ranges.length; e++)
                if (ranges[e] != null) byDef.get(e).put(ranges[e].def(), new Member(b, ranges[e]));
        }

        /** True when {@code b} (live over {@code ranges}) interferes with some member in some entry ({@link Liveness#interfere}). */
        boolean interferes(Buffer b, Liveness.Range[] ranges, List<Liveness> entries) {
            for (int e = 0; e < ranges.length; e++) {
                Liveness.Range r = ranges[e];
                if (r == null) continue;
                TreeMap<Integer, Member> members = byDef.get(e);
                // the members starting before b ends, latest first, while they end no earlier than b starts
                for (var m = members.floorEntry(r.lastUse()); m != null && m.getValue().range().lastUse() >= r.def(); m = members.lowerEntry(m.getKey()))
                    if (entries.get(e).interfere(b, r, m.getValue().buffer(), m.getValue().range())) return true;
            }
            return false;
        }

        private record Member(Buffer buffer, Liveness.Range range) {}
    }
}
