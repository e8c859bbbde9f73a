package nnc.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import nnc.kir.Buffer;
import nnc.kir.KernelProgram;

/**
 * Liveness-based storage planning: intermediates whose lifetimes never overlap in any entry share
 * one storage slot, and a pointwise kernel may write over an input that dies there when it reads
 * that input element for element (in place). Named tensors (inputs, targets, parameters, state,
 * outputs) keep their own storage: they outlive every step. The kernels are unchanged; the plan is
 * the slot column of {@link KernelProgram#bufferTable()}, from which the runtime allocates one array
 * per slot, once, so a step allocates nothing.
 *
 * <p>Assignment is greedy, largest buffers first: each joins the existing slot of its dtype with no
 * interfering member that grows least (preferring one already large enough), or opens a new slot.
 * Results are bitwise those of the unplanned program, since every kernel still reads the values it
 * read before.
 */
public final class MemoryPlanner {
    /** The batch used to compare buffer sizes when choosing slots (any batch gives a valid plan). */
    static final int REFERENCE_BATCH = 64;

    private MemoryPlanner() {}

    public static KernelProgram plan(KernelProgram p) {
        List<Liveness> entries = p.entries().stream().map(e -> new Liveness(e.kernels())).toList();
        List<Buffer> buffers = p.buffers();
        int[] slot = new int[buffers.size()];
        for (int i = 0; i < slot.length; i++) slot[i] = i;
        List<Buffer> temps = new ArrayList<>();
        for (Buffer b : buffers) if (b.isTemp() && entries.stream().noneMatch(l -> l.carried.contains(b))) temps.add(b);
        temps.sort(Comparator.comparingLong((Buffer b) -> -MemoryPlan.bytes(b, REFERENCE_BATCH)).thenComparingInt(Buffer::id));

        List<List<Buffer>> slots = new ArrayList<>();
        List<Long> slotBytes = new ArrayList<>();
        for (Buffer b : temps) {
            long size = MemoryPlan.bytes(b, REFERENCE_BATCH);
            int best = -1;
            long bestGrowth = Long.MAX_VALUE;
            for (int s = 0; s < slots.size(); s++) {
                List<Buffer> members = slots.get(s);
                if (members.get(0).dtype() != b.dtype() || interferesWithAny(b, members, entries)) continue;
                long growth = Math.max(0, size - slotBytes.get(s));
                // prefer the tightest slot that already fits, else the one that grows least
                long score = growth > 0 ? growth * 2 + 1 : (slotBytes.get(s) - size) * 2;
                if (score < bestGrowth) {
                    bestGrowth = score;
                    best = s;
                }
            }
            if (best < 0) {
                slots.add(new ArrayList<>(List.of(b)));
                slotBytes.add(size);
            } else {
                slots.get(best).add(b);
                slotBytes.set(best, Math.max(slotBytes.get(best), size));
            }
        }
        for (List<Buffer> members : slots) {
            int id = members.stream().mapToInt(Buffer::id).min().orElseThrow();
            for (Buffer m : members) slot[m.id()] = id;
        }
        List<Integer> slotList = new ArrayList<>();
        for (int s : slot) slotList.add(s);
        return p.withSlots(slotList);
    }

    private static boolean interferesWithAny(Buffer b, List<Buffer> members, List<Liveness> entries) {
        for (Buffer m : members)
            for (Liveness l : entries) if (l.interfere(b, m)) return true;
        return false;
    }
}
