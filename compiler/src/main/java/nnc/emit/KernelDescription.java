package nnc.emit;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import nnc.ir.Op;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * What a kernel computes, in words a reader of the generated source can follow: tensor names instead
 * of buffer ids and domain indices {@code i0, i1, …} instead of hoisted offsets, e.g.
 * {@code h = relu(x + b[i1])}.
 */
public final class KernelDescription {
    private KernelDescription() {}

    /** The formula, the iteration space and the buffers used, one per line. */
    public static String describe(Kernel k, List<Buffer> params) {
        String formula = switch (k) {
            case Kernel.Fused f -> String.join("\n", f.parts().stream().map(p -> p.out().name() + " = " + expr(p.value(), p.domain())).toList())
                    + "\npointwise over " + f.domain() + indices(f.domain()) + ", the lines in order at each point";
            case Kernel.Pointwise p -> p.out().name() + " = " + expr(p.value(), p.domain())
                    + "\npointwise over " + p.domain() + indices(p.domain());
            case Kernel.Reduce r -> r.prologue().stream().map(p -> p.out().name() + " = " + expr(p.value(), p.domain()) + "\n").collect(Collectors.joining())
                    + r.out().name() + " = " + r.fn().text() + " over "
                    + r.axes().stream().map(a -> "i" + a).collect(Collectors.joining(", "))
                    + " of " + expr(r.value(), r.domain())
                    + "\nreduce over " + r.domain() + indices(r.domain()) + " into " + r.domain().without(r.axes())
                    + (r.prologue().isEmpty() ? "" : ", the lines in order at each point");
            case Kernel.MatMul m -> m.out().name() + " = " + m.a().name() + (m.transA() ? "^T" : "") + " @ "
                    + m.b().name() + (m.transB() ? "^T" : "")
                    + (m.isBatched() ? "\n" + m.batch() + " matrix products (BatchedGemm), each" : "\nmatrix product,") + " M = " + m.m() + ", N = " + m.n() + ", K = " + m.k();
            case Kernel.WithEpilogue w -> describe(w.head(), List.of()).replaceFirst("\nbuffers: $", "") + String.join("", w.stages().stream()
                    .map(s -> "\nthen " + describe(s, List.of()).replaceFirst("\nbuffers: $", "")).toList());
            case Kernel.Call c -> c.out().name() + " = " + c.fn().text() + "(" + c.a().name() + (c.b() == null ? "" : ", " + c.b().name()) + ")"
                    + "\nlibrary call SpatialCalls." + c.fn().routine() + ", N = " + c.n() + ", C = " + c.c() + ", H = " + c.h() + ", W = " + c.w()
                    + ", OC = " + c.oc() + ", k = " + Op.Spatial.pair(c.kh(), c.kw()) + ", stride = " + Op.Spatial.pair(c.sh(), c.sw()) + ", padding = " + Op.Spatial.pair(c.ph(), c.pw())
                    + (c.dh() == 1 && c.dw() == 1 ? "" : ", dilation = " + Op.Spatial.pair(c.dh(), c.dw())) + (c.groups() == 1 ? "" : ", groups = " + c.groups());
            case Kernel.Loop l -> "a loop of " + l.steps() + " steps, t = " + (l.reverse() ? (l.steps() - 1) + " down to 0" : "0 to " + (l.steps() - 1))
                    + ": each step copies in the sequences at t, runs its kernels, stores its results at t and moves the carries on";
            case Kernel.StepCopy c -> c.to().name() + (c.toStepped() ? "[t]" : "") + " = " + c.from().name() + (c.fromStepped() ? "[t]" : "");
            case Kernel.ScatterAdd s -> s.out().name() + " = scatter_add(" + s.values().name() + ", " + s.indices().name() + ")"
                    + "\nlibrary call Gathers.scatterAdd: row p of " + s.values().name() + " added into row " + s.indices().name()
                    + "[p] for p = 0 .. " + s.positions() + " - 1 in order, " + s.rows() + " rows of " + s.cols();
        };
        return formula + "\nbuffers: " + params.stream().map(Buffer::toString).collect(Collectors.joining(", "));
    }

    private static String indices(Shape domain) {
        if (domain.isScalar()) return "";
        return IntStream.range(0, domain.rank()).mapToObj(a -> "i" + a).collect(Collectors.joining(", ", " (indices ", ")"));
    }

    private static String expr(KExpr value, Shape domain) {
        return new FormulaText(l -> load(l, domain), axis -> "i" + axis).print(value);
    }

    private static String load(KExpr.Load l, Shape domain) {
        String name = l.buffer().name();
        if (l.strides().stream().allMatch(Size::isZero) && l.offset().isEmpty()) return l.buffer().shape().isScalar() ? name : name + "[0]";
        if (l.isContiguousFor(domain)) return name;
        IntExpr offset = IntExpr.ZERO;
        for (Size term : l.offset()) offset = IntExpr.add(offset, IntExpr.of(term));
        for (int axis = 0; axis < l.strides().size(); axis++)
            offset = IntExpr.add(offset, IntExpr.mul(IntExpr.var("i" + axis), IntExpr.of(l.strides().get(axis))));
        return name + "[" + offset.text() + "]";
    }
}
