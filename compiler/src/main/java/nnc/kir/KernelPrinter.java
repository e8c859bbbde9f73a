package nnc.kir;

import java.util.Locale;
import nnc.ir.Op;

/**
 * Text form of the Kernel IR, for {@code nnc ir --after schedule} (or a kernel pass) and golden
 * tests; {@code in b7}: the buffer shares b7's storage (the memory plan's slots).
 */
public final class KernelPrinter {
    private KernelPrinter() {}

    public static String print(KernelProgram p) {
        StringBuilder sb = new StringBuilder("buffers {\n");
        for (Buffer b : p.buffers())
            sb.append("  ").append(b.var()).append(" = ").append(b.role() == null ? "temp" : b.role().name().toLowerCase(Locale.ROOT))
              .append(' ').append(b.name()).append(" : ").append(b.dtype().text()).append(b.shape())
              .append(p.slotOf(b) == b.id() ? "" : " in b" + p.slotOf(b)).append('\n');
        sb.append("}\n");
        for (KernelProgram.Entry e : p.entries()) {
            sb.append("entry ").append(e.name()).append(" {\n");
            int i = 0;
            for (Kernel k : e.kernels()) sb.append("  k").append(i++).append(": ").append(line(k)).append('\n');
            sb.append("}\n");
        }
        return sb.toString();
    }

    public static String line(Kernel k) {
        return switch (k) {
            case Kernel.Pointwise pw -> "pointwise " + pw.domain() + " " + pw.out().var() + " = " + pw.value();
            case Kernel.Fused f -> "fused " + f.domain() + " " + String.join("; ",
                    f.parts().stream().map(p -> p.out().var() + " = " + p.value()).toList());
            case Kernel.Reduce r -> (r.prologue().isEmpty() ? "" : String.join("; ", r.prologue().stream().map(p -> p.out().var() + " = " + p.value()).toList())
                    + " and ") + "reduce_" + r.fn().text() + r.axes() + " " + r.domain() + " " + r.out().var() + " = " + r.value();
            case Kernel.MatMul m -> "matmul" + (m.transA() ? "[ta]" : "") + (m.transB() ? "[tb]" : "") + " " + m.out().var() + " = "
                    + m.a().var() + " @ " + m.b().var() + " (" + (m.isBatched() ? "batch=" + m.batch() + ", " : "") + "m=" + m.m() + ", n=" + m.n() + ", k=" + m.k() + (m.views() == null ? "" : ", " + m.views()) + ")";
            case Kernel.WithEpilogue w -> line(w.head()) + String.join("", w.stages().stream().map(s -> " then " + (s instanceof Kernel.Pointwise p
                    ? p.out().var() + " = " + p.value() : line(s))).toList());
            case Kernel.Call c -> "call " + c.fn().text() + " " + c.out().var() + " = " + c.a().var() + (c.b() == null ? "" : ", " + c.b().var())
                    + (c.work() == null ? "" : " work " + c.work().var()) + " (n=" + c.n() + ", c=" + c.c() + ", h=" + c.h() + ", w=" + c.w()
                    + ", oc=" + c.oc() + ", k=" + Op.Spatial.pair(c.kh(), c.kw()) + ", s=" + Op.Spatial.pair(c.sh(), c.sw()) + ", p=" + Op.Spatial.pair(c.ph(), c.pw())
                    + (c.dh() == 1 && c.dw() == 1 ? "" : ", d=" + Op.Spatial.pair(c.dh(), c.dw())) + (c.groups() == 1 ? "" : ", g=" + c.groups()) + ")";
            case Kernel.Loop l -> {
                StringBuilder sb = new StringBuilder("loop t " + (l.reverse() ? "from " + (l.steps() - 1) + " down to 0" : "from 0 to " + (l.steps() - 1)) + " {");
                for (Kernel b : l.body()) sb.append("\n      ").append(line(b).replace("\n", "\n  "));
                yield sb.append("\n    }").toString();
            }
            case Kernel.StepCopy c -> "copy " + c.to().var() + (c.toStepped() ? "[t]" : "") + " = " + c.from().var() + (c.fromStepped() ? "[t]" : "")
                    + " (" + c.length() + " elements)";
            case Kernel.ScatterAdd s -> "scatter_add " + s.out().var() + " = " + s.values().var() + " by " + s.indices().var()
                    + " (n=" + s.positions() + ", rows=" + s.rows() + ", cols=" + s.cols() + ")";
        };
    }
}
