package nnc.profile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import nnc.ir.Op;
import nnc.ir.SpatialFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * What one kernel of the Kernel IR does at a given batch, for a profile row: its kind
 * ({@code gemm NT}, {@code conv2d}, {@code pointwise}, {@code reduce sum}, …), its shape, the
 * floating-point operations of its products and convolutions ({@code 2·M·N·K}; 0 for the others,
 * which are memory-bound) and an estimate of the bytes it reads and writes (each buffer it touches
 * once, as far as its iteration space reaches).
 *
 * @param flops 0 unless the kernel contains a matrix product or a convolution
 */
public record KernelCost(String kind, String shape, long flops, long bytes) {
    /** True when the kernel's speed is best read as GFLOP/s (products, convolutions), else as GB/s. */
    public boolean computeBound() { return flops > 0; }

    /** The cost of {@code k} running a step of {@code batch} rows. */
    public static KernelCost of(Kernel k, int batch) {
        return switch (k) {
            case Kernel.MatMul m -> matmul(m, batch);
            case Kernel.Pointwise p -> new KernelCost(pointwiseKind(List.of(p)), dims(p.domain(), batch), 0, pointwiseBytes(List.of(p), batch));
            case Kernel.Fused f -> new KernelCost(pointwiseKind(f.parts()), dims(f.domain(), batch), 0,
                    pointwiseBytes(f.parts(), batch));
            case Kernel.Reduce r -> reduce(r, batch);
            case Kernel.WithEpilogue e -> withEpilogue(e, batch);
            case Kernel.Call c -> call(c, batch);
            case Kernel.ScatterAdd s -> {
                long p = size(s.positions(), batch);
                yield new KernelCost("scatter-add", p + "×" + s.cols() + " into " + s.rows() + "×" + s.cols(), 0,
                        4 * (2 * p * s.cols() + p + (long) s.rows() * s.cols()));
            }
            case Kernel.StepCopy c -> new KernelCost("copy", "[" + size(c.length(), batch) + "]", 0, 8 * size(c.length(), batch));
            case Kernel.Loop l -> loop(l, batch);
        };
    }

    private static KernelCost matmul(Kernel.MatMul m, int batch) {
        long rows = m.m().value(batch), cols = m.n().value(batch), depth = m.k().value(batch), count = m.batch().value(batch);
        String layout = (m.transA() ? "T" : "N") + (m.transB() ? "T" : "N");
        String shape = rows + "×" + cols + "×" + depth;
        long flops = 2 * count * rows * cols * depth;
        long bytes = 4 * count * (rows * depth + depth * cols + rows * cols);
        return m.isBatched()
                ? new KernelCost("batched gemm " + layout, count + " × " + shape, flops, bytes)
                : new KernelCost("gemm " + layout, shape, flops, bytes);
    }

    private static KernelCost reduce(Kernel.Reduce r, int batch) {
        String kind = "reduce " + r.fn().text();
        long bytes = pointwiseBytes(r.prologue(), batch) + loadBytes(KExpr.loads(r.value()), elements(r.domain(), batch), batch)
                + 4 * elements(r.out().shape(), batch);
        return new KernelCost(kind, dims(r.domain(), batch) + " → " + dims(r.domain().without(r.axes()), batch), 0, bytes);
    }

    /**
     * The head's kind and shape, then its stages' kinds, each once ({@code gemm NT + reduce + pointwise});
     * the head's flops, every stage's bytes.
     */
    private static KernelCost withEpilogue(Kernel.WithEpilogue e, int batch) {
        KernelCost head = of(e.head(), batch);
        long bytes = head.bytes();
        Set<String> kinds = new LinkedHashSet<>();
        for (Kernel s : e.stages()) {
            KernelCost c = of(s, batch);
            kinds.add(c.kind().split(" ")[0]);
            bytes += c.bytes();
        }
        return new KernelCost(head.kind() + " + " + String.join(" + ", kinds), head.shape(), head.flops(), bytes);
    }

    private static KernelCost call(Kernel.Call c, int batch) {
        long n = c.n().value(batch);
        int oh = (c.h() + 2 * c.ph() - c.dh() * (c.kh() - 1) - 1) / c.sh() + 1, ow = (c.w() + 2 * c.pw() - c.dw() * (c.kw() - 1) - 1) / c.sw() + 1;
        int outChannels = c.fn().isConv() ? c.oc() : c.c();
        String geometry = n + "×" + c.c() + "×" + c.h() + "×" + c.w() + " → " + outChannels + "×" + oh + "×" + ow
                + ", k " + Op.Spatial.pair(c.kh(), c.kw()) + ", s " + Op.Spatial.pair(c.sh(), c.sw()) + ", p " + Op.Spatial.pair(c.ph(), c.pw())
                + (c.dh() == 1 && c.dw() == 1 ? "" : ", d " + Op.Spatial.pair(c.dh(), c.dw())) + (c.groups() == 1 ? "" : ", g " + c.groups());
        long in = n * c.c() * c.h() * c.w(), out = n * outChannels * oh * ow;
        if (c.fn().isConv()) {
            long weights = (long) c.oc() * c.c() / c.groups() * c.kh() * c.kw();
            return new KernelCost(c.fn().text(), geometry, 2 * out * c.c() / c.groups() * c.kh() * c.kw(), 4 * (in + out + weights));
        }
        long bytes = 4 * (in + out + (c.fn() == SpatialFn.MAX_POOL2D_GRAD ? in : 0));
        return new KernelCost(c.fn().text(), geometry, 0, bytes);
    }

    /** {@code loop ×T}: the body's work T times, its kinds listed once. */
    private static KernelCost loop(Kernel.Loop l, int batch) {
        long flops = 0, bytes = 0;
        Set<String> kinds = new LinkedHashSet<>();
        for (Kernel b : l.body()) {
            KernelCost c = of(b, batch);
            flops += c.flops();
            bytes += c.bytes();
            if (!(b instanceof Kernel.StepCopy)) kinds.add(c.kind());
        }
        return new KernelCost("loop ×" + l.steps(), l.body().size() + " kernels: " + String.join(", ", kinds), flops * l.steps(),
                bytes * l.steps());
    }

    /** {@code pointwise}, or {@code gather} / {@code one-hot} when the values index a table or compare with class indices. */
    private static String pointwiseKind(List<Kernel.Pointwise> parts) {
        boolean gather = false, oneHot = false;
        for (Kernel.Pointwise p : parts) {
            gather |= contains(p.value(), KExpr.Gather.class);
            oneHot |= contains(p.value(), KExpr.OneHot.class);
        }
        return gather ? "gather" : oneHot ? "pointwise (one-hot)" : "pointwise";
    }

    private static boolean contains(KExpr e, Class<? extends KExpr> kind) {
        if (kind.isInstance(e)) return true;
        return switch (e) {
            case KExpr.Unary u -> contains(u.x(), kind);
            case KExpr.Binary b -> contains(b.a(), kind) || contains(b.b(), kind);
            case KExpr.Select s -> contains(s.cond(), kind) || contains(s.a(), kind) || contains(s.b(), kind);
            default -> false;
        };
    }

    /** The outputs written once and each buffer loaded once, as far as the domain reaches (a broadcast bias is read once). */
    private static long pointwiseBytes(List<Kernel.Pointwise> parts, int batch) {
        Set<Buffer> written = new LinkedHashSet<>();
        List<KExpr.Load> loads = new ArrayList<>();
        long points = 0;
        for (Kernel.Pointwise p : parts) {
            points = elements(p.domain(), batch);
            written.add(p.out());
            loads.addAll(KExpr.loads(p.value()));
        }
        long bytes = 0;
        for (Buffer b : written) bytes += 4 * Math.min(points, elements(b.shape(), batch));
        loads.removeIf(l -> written.contains(l.buffer()));
        return bytes + loadBytes(loads, points, batch);
    }

    private static long loadBytes(List<KExpr.Load> loads, long points, int batch) {
        Set<Buffer> read = loads.stream().map(KExpr.Load::buffer).collect(Collectors.toCollection(LinkedHashSet::new));
        long bytes = 0;
        for (Buffer b : read) bytes += 4 * Math.min(points, elements(b.shape(), batch));
        return bytes;
    }

    static long elements(Shape s, int batch) {
        long n = 1;
        for (Dim d : s.dims()) n *= d.value(batch);
        return n;
    }

    /** {@code [64,128]}: the shape with the batch put in. */
    static String dims(Shape s, int batch) {
        return s.dims().stream().map(d -> Long.toString(d.value(batch))).collect(Collectors.joining(",", "[", "]"));
    }

    private static long size(Size s, int batch) { return s.eval(sym -> batch); }
}
