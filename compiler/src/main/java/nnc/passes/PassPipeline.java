package nnc.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import nnc.ir.IrModule;

/**
 * The optimising middle end's pass list, in the order the passes run after the {@code train} stage.
 * This is the one place to read (or change) it.
 */
public final class PassPipeline {
    private final List<Pass> passes;

    private PassPipeline(List<Pass> passes) { this.passes = List.copyOf(passes); }

    /** The default pipeline: IEEE-safe only, so results stay bitwise the same as without it. */
    public static PassPipeline standard() { return of(false); }

    /** With {@code unsafeMath}, {@link Simplify} also applies its unsafe rules (and reports them). */
    public static PassPipeline of(boolean unsafeMath) {
        return new PassPipeline(List.of(
                new ConstantFold(),       // 1 − β1, lr / …: computed once, in f32, at compile time
                new Simplify(unsafeMath), // x·1, x − 0, −(−x), … to a fixpoint
                new ReluMask(),           // relu's backward mask from its output: the pre-activation can fuse
                new Cse(),                // a + b and b + a become one node
                new PruneGradients(),     // updates that write back the old value, and their gradients
                new Dce()));              // drop what no entry needs; dense ids
    }

    public List<Pass> passes() { return passes; }

    public List<String> names() { return passes.stream().map(Pass::name).toList(); }

    /** Runs every pass in order. */
    public IrModule run(IrModule module, PassReport report) { return run(module, report, (p, m) -> {}); }

    /** Runs every pass in order, handing each pass and its result to {@code after} (printers, verifiers). */
    public IrModule run(IrModule module, PassReport report, BiConsumer<Pass, IrModule> after) {
        IrModule m = module;
        for (Pass p : passes) {
            m = p.run(m, report);
            after.accept(p, m);
        }
        return m;
    }

    /** The module after each pass, in order. */
    public List<IrModule> runAll(IrModule module, PassReport report) {
        List<IrModule> out = new ArrayList<>();
        run(module, report, (p, m) -> out.add(m));
        return out;
    }
}
