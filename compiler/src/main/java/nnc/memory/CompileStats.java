package nnc.memory;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.train.Json;

/**
 * What {@code nnc compile --stats} reports for a model's train step at one batch size: kernels
 * before fusion (one per computing Graph IR op; reshapes are free) and after; the bytes of every
 * value in its own buffer, of the scheduled intermediates one buffer each, and of the planned arena;
 * the bytes of forward values the backward pass reads (saved for backward); parameter and
 * optimiser-state bytes.
 */
public record CompileStats(int batch, int kernelsBefore, int kernelsAfter, String kernelKinds, long arenaBytes, long unsharedBytes,
                           long naiveBytes, long savedBytes, long paramBytes, long stateBytes) {
    /** Stats of {@code module} scheduled and planned as {@code planned}. */
    public static CompileStats of(IrModule module, KernelProgram planned, int batch) {
        MemoryPlan plan = new MemoryPlan(planned);
        int before = 0;
        for (Node n : module.train().nodes()) if (!n.isLeaf() && !(n.op() instanceof Op.Reshape)) before++;
        return new CompileStats(batch, before, planned.kernelCount("train"), kinds(planned.entry("train").kernels()),
                plan.arenaBytes(batch), plan.unsharedBytes(batch),
                MemoryPlan.oneBufferPerValueBytes(module, batch), savedForBackwardBytes(module, batch),
                plan.roleBytes(Role.PARAM, batch), plan.roleBytes(Role.STATE, batch));
    }

    /** {@code 4 matmul (3 with an epilogue), 9 reduce (2 with an epilogue), 18 pointwise}; batched products are counted too: {@code (0 with an epilogue, 4 batched)} */
    static String kinds(List<Kernel> kernels) {
        int mm = 0, epi = 0, batched = 0, red = 0, repi = 0, pw = 0, calls = 0, loops = 0, copies = 0, scatters = 0, fused = 0;
        Deque<Kernel> work = new ArrayDeque<>(kernels);
        while (!work.isEmpty())
            switch (work.pop()) {
                case Kernel.MatMul m -> { mm++; if (m.isBatched()) batched++; }
                case Kernel.WithEpilogue w -> {
                    if (w.head() instanceof Kernel.MatMul) { mm++; epi++; }
                    else { red++; repi++; }
                }
                case Kernel.Reduce r -> red++;
                case Kernel.Pointwise p -> pw++;
                case Kernel.Fused f -> { pw++; fused++; }
                case Kernel.Call c -> calls++;
                case Kernel.Loop l -> { loops++; work.addAll(l.body()); } // its body's kernels count too
                case Kernel.StepCopy c -> copies++;
                case Kernel.ScatterAdd s -> scatters++;
            }
        return mm + " matmul (" + epi + " with an epilogue" + (batched == 0 ? "" : ", " + batched + " batched") + "), " + red + " reduce" + (repi == 0 ? "" : " (" + repi + " with an epilogue)") + ", " + pw + " pointwise" + (fused == 0 ? "" : " (" + fused + " fusing several)")
                + (calls == 0 ? "" : ", " + calls + " library call" + (calls == 1 ? "" : "s"))
                + (loops == 0 ? "" : ", " + loops + " loop" + (loops == 1 ? "" : "s") + " with " + copies + " step copies")
                + (scatters == 0 ? "" : ", " + scatters + " scatter-add" + (scatters == 1 ? "" : "s"));
    }

    /** Forward values (computed nodes of the evaluate graph) that a train-only node reads. */
    static long savedForBackwardBytes(IrModule m, int batch) {
        Set<Node> forward = Collections.newSetFromMap(new IdentityHashMap<>());
        forward.addAll(m.evaluate().nodes());
        Set<Node> saved = Collections.newSetFromMap(new IdentityHashMap<>());
        Graph train = m.train();
        for (Node n : train.nodes())
            if (!forward.contains(n))
                for (Node in : n.inputs()) if (forward.contains(in) && !in.isLeaf()) saved.add(in);
        long sum = 0;
        for (Node n : saved) sum += 4L * new TensorSpec("v", Role.OUTPUT, n.type().dtype(), IrModule.runtimeDims(n.shape()), null).elements(batch);
        return sum;
    }

    /** Human-readable lines. */
    public String text(String model) {
        return model + " (train step at batch " + batch + ")\n"
                + "  kernels: " + kernelsBefore + " before fusion, " + kernelsAfter + " after: " + kernelKinds + "\n"
                + "  intermediates: " + naiveBytes + " B one buffer per value, " + unsharedBytes + " B after fusion, "
                + arenaBytes + " B planned arena (" + percent(arenaBytes, naiveBytes) + " of one buffer per value)\n"
                + "  saved for backward: " + savedBytes + " B\n"
                + "  parameters: " + paramBytes + " B, optimiser state: " + stateBytes + " B\n";
    }

    private static String percent(long a, long b) { return b == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * a / b); }

    /** One line of JSON with the keys of issue 5 (plus {@code batch} and {@code unshared_bytes}). */
    public String json() {
        return Json.object()
                .put("kernels_before", kernelsBefore).put("kernels_after", kernelsAfter)
                .put("arena_bytes", arenaBytes).put("naive_bytes", naiveBytes).put("saved_bytes", savedBytes)
                .put("param_bytes", paramBytes).put("state_bytes", stateBytes)
                .put("unshared_bytes", unsharedBytes).put("batch", batch).toString();
    }
}
