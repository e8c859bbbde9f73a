package nnc.emit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.kir.Kernel;

/**
 * How a generated class too large for one class file is split. A class file holds at most 65535
 * constant-pool entries, and every kernel method takes some (its name, its descriptor, the method
 * reference of each call, its warm-up counter, its parameters' names): a model of a few thousand
 * layers needs more. Such a class keeps its step methods and moves its chunk methods and kernel
 * methods into nested classes ({@code NAME$Kernels0}, {@code NAME$Kernels1}, …; "holders"), each
 * filled, chunk by chunk, with an estimated {@link #MAX_CONSTANTS} entries at most; a kernel method
 * goes with the first chunk that calls it, a loop's body methods with the loop. A program whose
 * estimate fits in one class is not split ({@link #NONE}).
 *
 * @param holders  the nested classes, in order
 * @param holderOf the holder of each chunk and kernel method, by method name
 */
public record ClassSplit(List<Holder> holders, Map<String, String> holderOf) {
    /** Estimated constant-pool entries of one holder: half of what a class file allows. */
    public static final int MAX_CONSTANTS = 30_000;

    /** Entries estimated for one kernel method beyond one per parameter, and for one call of it. */
    static final int METHOD_CONSTANTS = 12, CALL_CONSTANTS = 4;

    public static final ClassSplit NONE = new ClassSplit(List.of(), Map.of());

    /** A nested class: the chunk methods it holds and the kernel methods it holds, each in order. */
    public record Holder(String name, List<EntryPlan.Chunk> chunks, List<KernelMethod> methods) {}

    public ClassSplit {
        holders = List.copyOf(holders);
        holderOf = Map.copyOf(holderOf);
    }

    public boolean isSplit() { return !holders.isEmpty(); }

    /** The holder of method {@code name} (a chunk or kernel method), or null when it is in the main class. */
    public String holderOf(String name) { return holderOf.get(name); }

    /** Estimated constant-pool entries of {@code methods} and the calls of {@code entries}. */
    static long constants(List<KernelMethod> methods, List<EntryPlan> entries) {
        long n = 0;
        for (KernelMethod m : methods) n += METHOD_CONSTANTS + m.params().size();
        for (EntryPlan e : entries) n += (long) CALL_CONSTANTS * e.kernels().size();
        return n;
    }

    /**
     * The holders of {@code entries}' chunks (every defined entry must be chunked) and of the
     * kernel methods they call, each of at most about {@code maxConstants} estimated entries.
     */
    static ClassSplit of(List<EntryPlan> entries, int maxConstants) {
        Map<String, String> owner = new HashMap<>();
        Map<String, List<EntryPlan.Chunk>> chunks = new LinkedHashMap<>();
        Map<String, List<KernelMethod>> methods = new LinkedHashMap<>();
        String current = null;
        long used = 0;
        for (EntryPlan e : entries)
            for (EntryPlan.Chunk c : e.chunks()) {
                long cost = 0;
                for (KernelMethod k : c.kernels()) cost += CALL_CONSTANTS + (owner.containsKey(k.name()) ? 0 : cost(k));
                if (current == null || used > 0 && used + cost > maxConstants) {
                    current = "Kernels" + chunks.size();
                    chunks.put(current, new ArrayList<>());
                    methods.put(current, new ArrayList<>());
                    used = 0;
                }
                used += cost;
                chunks.get(current).add(c);
                owner.put(c.name(), current);
                for (KernelMethod k : c.kernels()) place(k, current, owner, methods);
            }
        List<Holder> holders = new ArrayList<>();
        chunks.forEach((name, cs) -> holders.add(new Holder(name, cs, methods.get(name))));
        return new ClassSplit(holders, owner);
    }

    /** Estimated entries of {@code k}'s method and its loop body's methods. */
    private static long cost(KernelMethod k) {
        long n = METHOD_CONSTANTS + k.params().size();
        for (KernelMethod b : k.body()) if (!(b.kernel() instanceof Kernel.StepCopy)) n += cost(b);
        return n;
    }

    /** Puts {@code k} in {@code holder} unless placed already; a loop goes where its body methods are (they call each other unqualified). */
    private static void place(KernelMethod k, String holder, Map<String, String> owner, Map<String, List<KernelMethod>> methods) {
        if (owner.containsKey(k.name())) return;
        String target = holder;
        for (KernelMethod b : k.body()) if (owner.containsKey(b.name())) target = owner.get(b.name());
        for (KernelMethod b : k.body()) {
            if (b.kernel() instanceof Kernel.StepCopy) continue; // written inline
            place(b, target, owner, methods);
            if (!owner.get(b.name()).equals(target))
                throw new IllegalStateException("loop " + k.name() + " calls body methods in two nested classes");
        }
        owner.put(k.name(), target);
        methods.get(target).add(k);
    }
}
