package nnc.emit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.runtime.DType;
import nnc.types.Dim;

/**
 * {@code --check-numerics=full}: what both emitters check after each kernel call — every f32 buffer
 * the kernel writes, with its element count ({@code rest · batch^batchPower}) and the text
 * {@code Numerics.checkKernel} reports ({@code FILE:LINE: kernel NAME (FORMULA)|BUFFER|dims}).
 */
public final class KernelChecks {
    /** Longest formula quoted in a message. */
    static final int MAX_FORMULA = 160;

    /** One buffer to check after a kernel: {@code Numerics.checkKernel(f[buffer.id], batch, batchPower, rest, where)}. */
    public record Check(Buffer buffer, int batchPower, int rest, String where) {}

    private KernelChecks() {}

    /** The checks after a call of {@code k}, one per f32 buffer it writes, in order of first write. */
    public static List<Check> of(ModelPlan plan, KernelMethod k) {
        Set<Buffer> outs = new LinkedHashSet<>();
        outputs(k.kernel(), outs);
        String[] formulas = KernelDescription.describe(k.kernel(), List.of()).split("\n");
        int line = plan.lineOf(k.name());
        String head = (line > 0 ? plan.sourceFile() + ":" + line + ": " : "") + "kernel " + k.name();
        List<Check> checks = new ArrayList<>();
        for (Buffer b : outs) {
            if (b == null || b.dtype() != DType.F32) continue;
            String formula = formulas[0];
            for (String f : formulas) if (f.startsWith(b.name() + " = ")) { formula = f; break; }
            int power = 0;
            long rest = 1;
            List<String> dims = new ArrayList<>();
            for (Dim d : b.shape().dims()) {
                switch (d) {
                    case Dim.Fixed f -> { rest *= f.size(); dims.add(Long.toString(f.size())); }
                    case Dim.Sym s -> { power++; dims.add("-1"); }
                    case Dim.Scaled s -> { power++; rest *= s.factor(); dims.add(Long.toString(-s.factor())); }
                }
            }
            if (rest > Integer.MAX_VALUE) continue; // no such buffer can be allocated anyway
            String where = head + " (" + NameLimits.abbreviate(formula, MAX_FORMULA) + ")|" + NameLimits.abbreviate(b.name(), 200) + "|" + String.join(",", dims);
            checks.add(new Check(b, power, (int) rest, where));
        }
        return checks;
    }

    /** Every buffer {@code k} writes (for a loop: its body's, its step copies' targets and its result). */
    private static void outputs(Kernel k, Set<Buffer> outs) {
        switch (k) {
            case Kernel.Pointwise p -> outs.add(p.out());
            case Kernel.Fused f -> f.parts().forEach(p -> outs.add(p.out()));
            case Kernel.Reduce r -> {
                r.prologue().forEach(p -> outs.add(p.out()));
                outs.add(r.out());
            }
            case Kernel.MatMul m -> outs.add(m.out());
            case Kernel.WithEpilogue w -> {
                outputs(w.head(), outs);
                w.stages().forEach(s -> outputs(s, outs));
            }
            case Kernel.Call c -> outs.add(c.out());
            case Kernel.Loop l -> {
                l.body().forEach(b -> outputs(b, outs));
                outs.add(l.out());
            }
            case Kernel.StepCopy c -> outs.add(c.to());
            case Kernel.ScatterAdd s -> outs.add(s.out());
        }
    }
}
