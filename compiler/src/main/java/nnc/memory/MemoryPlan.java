package nnc.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.kir.Buffer;
import nnc.kir.KernelProgram;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/**
 * A program's storage plan and what it costs: the storage slot of every buffer (named tensors
 * keep a slot each; intermediates share slots where their lifetimes allow) and byte counts for a
 * given batch size. Three figures tell fusion's and planning's savings apart:
 * {@link #oneBufferPerValueBytes} (every Graph IR value in its own buffer, as the interpreter
 * allocates), {@link #unsharedBytes} (the scheduled program's intermediates, one buffer each) and
 * {@link #arenaBytes} (those intermediates as planned).
 */
public record MemoryPlan(KernelProgram program) {
    /** Bytes of one buffer at {@code batch} rows (4 bytes per f32 or i32 element). */
    public static long bytes(Buffer b, int batch) {
        return 4L * new TensorSpec(b.name(), Role.OUTPUT, b.dtype(), IrModule.runtimeDims(b.shape()), null).elements(batch);
    }

    /**
     * Every computed value (non-leaf node) of the module's entries in its own buffer: what an
     * op-by-op evaluator without fusion or reuse allocates. Leaves (inputs, parameters, state,
     * constants) are not counted; they are the model's own tensors.
     */
    public static long oneBufferPerValueBytes(IrModule module, int batch) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long sum = 0;
        for (Graph g : module.entries())
            for (Node n : g.nodes())
                if (!n.isLeaf() && seen.add(n))
                    sum += 4L * new TensorSpec("v", Role.OUTPUT, n.type().dtype(), IrModule.runtimeDims(n.shape()), null).elements(batch);
        return sum;
    }

    /** The scheduled program's intermediates with one buffer each (after fusion, before sharing). */
    public long unsharedBytes(int batch) {
        long sum = 0;
        for (Buffer b : program.buffers()) if (b.isTemp()) sum += bytes(b, batch);
        return sum;
    }

    /** Intermediates as planned: each slot is as large as its largest buffer. */
    public long arenaBytes(int batch) {
        long[] slot = new long[program.buffers().size()];
        for (Buffer b : program.buffers())
            if (b.isTemp()) slot[program.slotOf(b)] = Math.max(slot[program.slotOf(b)], bytes(b, batch));
        long sum = 0;
        for (long s : slot) sum += s;
        return sum;
    }

    /** Bytes of the named tensors with {@code role}. */
    public long roleBytes(Role role, int batch) {
        long sum = 0;
        for (Buffer b : program.buffers()) if (b.role() == role) sum += bytes(b, batch);
        return sum;
    }

    /** Number of distinct storage slots of the intermediates. */
    public int tempSlots() {
        List<Integer> seen = new ArrayList<>();
        for (Buffer b : program.buffers()) if (b.isTemp() && !seen.contains(program.slotOf(b))) seen.add(program.slotOf(b));
        return seen.size();
    }
}
