package nnc.schedule;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelAccess;
import nnc.kir.MethodLimits;

/**
 * How large a merged kernel ({@link Kernel.Fused}, {@link Kernel.WithEpilogue}, a reduction with a
 * prologue) may grow: its method takes every buffer it touches as a parameter, at most
 * {@link MethodLimits#MAX_BUFFER_PARAMS}, and its bytecode must stay under HotSpot's 8000-byte
 * {@code HugeMethodLimit} (a larger method is never JIT-compiled). The bytecode is estimated from the
 * kernel's expression nodes: each is written up to three times (scalar warm-up twin, vector loop,
 * scalar tail). Merging stops at the budget and starts a new kernel; results do not change.
 */
final class MergeBudget {
    private MergeBudget() {}

    /** Buffers one merged kernel may touch. */
    static final int MAX_BUFFERS = MethodLimits.MAX_BUFFER_PARAMS;

    /**
     * Expression nodes (loads, constants, operations, stores) one merged kernel may evaluate at each
     * point. Large merged kernels take 12.6–13.3 bytes of bytecode per node in their three loop forms
     * (measured on the samples and deep MLPs), so about 6000 bytes at most; resnet_s's largest
     * kernel, its biases' Adam updates, has 407.
     */
    static final int MAX_NODES = 450;

    /** True when {@code k} fits in one method: at most {@link #MAX_BUFFERS} buffers and {@link #MAX_NODES} nodes. */
    static boolean fits(Kernel k) {
        return nodes(k) <= MAX_NODES && buffers(k).size() <= MAX_BUFFERS;
    }

    /** The buffers {@code k}'s method takes: what it reads and what it writes. */
    static Set<Buffer> buffers(Kernel k) {
        Set<Buffer> out = new HashSet<>(KernelAccess.writes(k));
        out.addAll(KernelAccess.reads(k));
        return out;
    }

    /** Expression nodes of {@code k}: one per store and per node of each value it evaluates (a product or a call counts as one). */
    static int nodes(Kernel k) {
        if (k instanceof Kernel.Pointwise p) return 1 + nodes(p.value());
        if (k instanceof Kernel.Fused f) return f.parts().stream().mapToInt(MergeBudget::nodes).sum();
        if (k instanceof Kernel.Reduce r) return 1 + nodes(r.value()) + r.prologue().stream().mapToInt(MergeBudget::nodes).sum();
        if (k instanceof Kernel.WithEpilogue w) return nodes(w.head()) + w.stages().stream().mapToInt(MergeBudget::nodes).sum();
        return 1;
    }

    private static int nodes(KExpr e) {
        if (e instanceof KExpr.Unary u) return 1 + nodes(u.x());
        if (e instanceof KExpr.Binary b) return 1 + nodes(b.a()) + nodes(b.b());
        if (e instanceof KExpr.Select s) return 1 + nodes(s.cond()) + nodes(s.a()) + nodes(s.b());
        if (e instanceof KExpr.Gather) return 3;
        if (e instanceof KExpr.OneHot) return 2;
        if (e instanceof KExpr.Load) return 1;
        if (e instanceof KExpr.Const) return 1;
        if (e instanceof KExpr.DimSize) return 1;
        if (e instanceof KExpr.Index) return 1;
        throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }

    /** True when {@code parts}, merged into one loop nest, fit in one method. */
    static boolean fits(List<Kernel.Pointwise> parts) {
        int n = 0;
        Set<Buffer> used = new HashSet<>();
        for (Kernel.Pointwise p : parts) {
            n += nodes(p);
            used.add(p.out());
            for (KExpr.Load l : KExpr.loads(p.value())) used.add(l.buffer());
        }
        return n <= MAX_NODES && used.size() <= MAX_BUFFERS;
    }
}
