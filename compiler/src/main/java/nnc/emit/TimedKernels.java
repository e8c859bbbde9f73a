package nnc.emit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a profiled class times, decided once for both emitters: each kernel call of
 * {@code trainStep}, numbered in call order (the slots of {@code GeneratedModel.kernelNanos()}),
 * with {@code nnc.runtime.KernelClock.lap} after each call. A chunked entry passes the array to its
 * chunk methods, {@code trainPart0(float[][] f, int[][] i, long[] nanos, int batch)}, each of which
 * reads the clock first and numbers its calls from {@link #firstSlot}. The other entries are not timed.
 *
 * @param slots      the train entry's kernel calls (0 when nothing is timed)
 * @param chunkStart the slot of the first call of each timed chunk method, by name
 */
public record TimedKernels(int slots, Map<String, Integer> chunkStart) {
    /** An unprofiled class: nothing timed, the code exactly as without profiling. */
    public static final TimedKernels NONE = new TimedKernels(0, Map.of());

    /** The entry a profiled class times. */
    public static final String ENTRY = "train";

    public TimedKernels { chunkStart = Map.copyOf(chunkStart); }

    /** The timing of {@code plan}'s train entry when {@code profiled}, else {@link #NONE}. */
    public static TimedKernels of(ModelPlan plan, boolean profiled) {
        if (!profiled) return NONE;
        EntryPlan train = plan.entries().stream().filter(e -> e.entryName().equals(ENTRY) && e.defined()).findFirst().orElse(null);
        if (train == null) return NONE;
        Map<String, Integer> start = new HashMap<>();
        int slot = 0;
        for (EntryPlan.Chunk c : train.chunks()) {
            start.put(c.name(), slot);
            slot += c.kernels().size();
        }
        return new TimedKernels(train.kernels().size(), start);
    }

    /** True when the class is profiled at all (its constructor then passes {@link #slots()}). */
    public boolean any() { return slots > 0; }

    /** True for the step method of a timed entry. */
    public boolean times(EntryPlan e) { return any() && e.defined() && e.entryName().equals(ENTRY); }

    /** True for a chunk method of the timed entry (it takes the {@code long[] nanos} argument). */
    public boolean times(EntryPlan.Chunk c) { return chunkStart.containsKey(c.name()); }

    /** The slot of {@code c}'s first call. */
    public int firstSlot(EntryPlan.Chunk c) { return chunkStart.get(c.name()); }

    /** The kernel calls of a timed entry, one slot each; for tools that label the slots. */
    public static List<KernelMethod> timedCalls(ModelPlan plan) {
        return plan.entries().stream().filter(e -> e.entryName().equals(ENTRY) && e.defined()).findFirst()
                .map(EntryPlan::kernels).orElse(List.of());
    }
}
