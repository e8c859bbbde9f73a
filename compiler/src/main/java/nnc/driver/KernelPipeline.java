package nnc.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import nnc.ir.IrModule;
import nnc.kir.KernelPass;
import nnc.kir.KernelProgram;
import nnc.memory.MemoryPlanner;
import nnc.schedule.EpilogueMerging;
import nnc.schedule.MatmulViews;
import nnc.schedule.PointwiseMerging;
import nnc.schedule.Scheduler;

/**
 * The Kernel IR's pass list, in the order the passes run after the {@code schedule} step (Graph IR
 * → kernels, {@link Scheduler}). This is the one place to read (or change) it: the back ends,
 * {@code nnc compile} and {@code nnc ir} all run it ({@link Backend#program}), and a pass added here
 * is reachable by {@code nnc ir --after NAME} and needs a golden folder of its own.
 */
public final class KernelPipeline {
    private final boolean matmulEpilogues;
    private final List<KernelPass> passes;

    private KernelPipeline(boolean matmulEpilogues, List<KernelPass> passes) {
        this.matmulEpilogues = matmulEpilogues;
        this.passes = List.copyOf(passes);
    }

    /** What the back ends run. */
    public static KernelPipeline standard() { return of(true); }

    /**
     * With {@code matmulEpilogues} false, products take no epilogues, neither from the fusion plan
     * nor by epilogue merging (for comparisons: the results are bitwise the same).
     */
    public static KernelPipeline of(boolean matmulEpilogues) { return of(matmulEpilogues, true); }

    /**
     * With {@code matmulViews} false, batched products read and write their matrices one after
     * another, after and before attention's head copies (for comparisons: the bits are the same).
     */
    public static KernelPipeline of(boolean matmulEpilogues, boolean matmulViews) {
        List<KernelPass> passes = new ArrayList<>();
        if (matmulViews) passes.add(new MatmulViews());                          // attention's head split and merge copies read and written in place by its products
        passes.add(new PointwiseMerging());                     // Adam's m, v and w updates of one parameter: one loop nest
        if (matmulEpilogues) passes.add(new EpilogueMerging()); // updates and bias sums after the product or sum they read
        passes.add(new MemoryPlanner());                        // intermediates whose lifetimes never overlap share storage
        return new KernelPipeline(matmulEpilogues, passes);
    }

    public List<KernelPass> passes() { return passes; }

    public List<String> names() { return passes.stream().map(KernelPass::name).toList(); }

    /** {@code module} scheduled into kernels, before the passes (the {@code schedule} step). */
    public KernelProgram schedule(IrModule module) { return Scheduler.schedule(module, matmulEpilogues); }

    /** {@code module} scheduled, then run through every pass: what the back ends get. */
    public KernelProgram compile(IrModule module) { return run(schedule(module)); }

    /** Runs every pass in order. */
    public KernelProgram run(KernelProgram program) { return run(program, (p, k) -> {}); }

    /** Runs every pass in order, handing each pass and its result to {@code after} (printers, tests). */
    public KernelProgram run(KernelProgram program, BiConsumer<KernelPass, KernelProgram> after) {
        KernelProgram k = program;
        for (KernelPass p : passes) {
            k = p.run(k);
            after.accept(p, k);
        }
        return k;
    }

    /** The program after each pass, in order. */
    public List<KernelProgram> runAll(KernelProgram program) {
        List<KernelProgram> out = new ArrayList<>();
        run(program, (p, k) -> out.add(k));
        return out;
    }
}
