package nnc.emit;

import static nnc.emit.ProgramBuilder.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.BinaryFn;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.Role;
import nnc.types.Dim;
import nnc.types.Shape;

/** The hand-built Kernel IR programs the emitter tests run, by name. */
final class TestPrograms {
    private TestPrograms() {}

    static Map<String, KernelProgram> all() {
        Map<String, KernelProgram> m = new LinkedHashMap<>();
        m.put("broadcast", broadcast());
        m.put("unary", unary());
        m.put("binary", binary());
        m.put("oneHot", oneHot());
        m.put("wideOneHot", wideOneHot());
        m.put("reduce", reduce());
        m.put("wide", wide());
        m.put("matmul", matmul());
        m.put("strided", strided());
        m.put("linreg", linearRegression());
        m.put("chunked", chunked());
        m.put("select", select());
        m.put("index", index());
        m.put("wideSelect", wideSelect());
        m.put("gather", gather());
        return m;
    }

    /** [batch,3] + [3] with scalar constants, a DimSize and a scalar parameter. */
    static KernelProgram broadcast() {
        ProgramBuilder p = new ProgramBuilder("broadcast");
        Shape d = shape(B, 3);
        Buffer x = p.f32("x", Role.INPUT, B, 3);
        Buffer b = p.f32("b", Role.PARAM, 3);
        Buffer s = p.f32("s", Role.PARAM);
        Buffer h = p.f32("h", Role.OUTPUT, B, 3);
        Buffer g = p.f32("g", Role.OUTPUT, B, 3);
        Buffer k = p.f32("k", Role.OUTPUT);
        return p.entry("predict",
                new Kernel.Pointwise(d, h, un(UnaryFn.RELU, add(mul(flat(x, d), c(0.5f)), load(b, 0, 1)))),
                new Kernel.Pointwise(d, g, sub(div(flat(h, d), new KExpr.DimSize("batch")), mul(load(s, 0, 0), c(-1.25e-3f)))),
                new Kernel.Pointwise(Shape.SCALAR, k, add(mul(load(s), c(Float.MIN_VALUE)), un(UnaryFn.NEG, un(UnaryFn.NEG, c(-0f))))))
                .build();
    }

    /** Every unary function, over [batch,4]. */
    static KernelProgram unary() {
        ProgramBuilder p = new ProgramBuilder("unary");
        Shape d = shape(B, 4);
        Buffer x = p.f32("x", Role.INPUT, B, 4);
        List<Kernel> ks = new ArrayList<>();
        for (UnaryFn fn : UnaryFn.values())
            ks.add(new Kernel.Pointwise(d, p.f32(fn.text(), Role.OUTPUT, B, 4), un(fn, flat(x, d))));
        ks.add(new Kernel.Pointwise(d, p.f32("nested", Role.OUTPUT, B, 4),
                un(UnaryFn.NEG, add(un(UnaryFn.SQRT, un(UnaryFn.ABS, flat(x, d))), un(UnaryFn.NEG, un(UnaryFn.TANH, flat(x, d)))))));
        return p.entry("predict", ks.toArray(Kernel[]::new)).build();
    }

    /** Every binary function of [batch,4] with [4] (broadcast), plus comparisons with ties and constants. */
    static KernelProgram binary() {
        ProgramBuilder p = new ProgramBuilder("binary");
        Shape d = shape(B, 4);
        Buffer x = p.f32("x", Role.INPUT, B, 4);
        Buffer y = p.f32("y", Role.INPUT, 4);
        List<Kernel> ks = new ArrayList<>();
        for (BinaryFn fn : BinaryFn.values()) {
            ks.add(new Kernel.Pointwise(d, p.f32(fn.text(), Role.OUTPUT, B, 4), bin(fn, flat(x, d), load(y, 0, 1))));
            ks.add(new Kernel.Pointwise(d, p.f32(fn.text() + "_rev", Role.OUTPUT, B, 4), bin(fn, load(y, 0, 1), flat(x, d))));
        }
        for (BinaryFn fn : List.of(BinaryFn.GT, BinaryFn.GE, BinaryFn.EQ, BinaryFn.MAX, BinaryFn.MIN)) {
            // ties: x with itself, with a constant the random inputs often hold, and +0 against -0
            ks.add(new Kernel.Pointwise(d, p.f32(fn.text() + "_self", Role.OUTPUT, B, 4), bin(fn, flat(x, d), flat(x, d))));
            ks.add(new Kernel.Pointwise(d, p.f32(fn.text() + "_half", Role.OUTPUT, B, 4), bin(fn, flat(x, d), c(0.5f))));
            ks.add(new Kernel.Pointwise(d, p.f32(fn.text() + "_zero", Role.OUTPUT, B, 4), bin(fn, c(0f), flat(x, d))));
        }
        ks.add(new Kernel.Pointwise(d, p.f32("chain", Role.OUTPUT, B, 4),
                sub(sub(flat(x, d), load(y, 0, 1)), sub(mul(c(3f), div(flat(x, d), c(7f))), bin(BinaryFn.GT, flat(x, d), load(y, 0, 1))))));
        return p.entry("predict", ks.toArray(Kernel[]::new)).build();
    }

    /** where(cond, a, b): comparisons, raw values, -0f and 0f as conditions; selects nested in arithmetic and in each other. */
    static KernelProgram select() {
        ProgramBuilder p = new ProgramBuilder("select");
        Shape d = shape(B, 4);
        Buffer x = p.f32("x", Role.INPUT, B, 4);
        Buffer y = p.f32("y", Role.INPUT, 4);
        KExpr xs = flat(x, d), ys = load(y, 0, 1);
        KExpr gt = new KExpr.Select(bin(BinaryFn.GT, xs, ys), xs, mul(c(0.1f), ys));
        return p.entry("predict",
                new Kernel.Pointwise(d, p.f32("gt", Role.OUTPUT, B, 4), gt),
                new Kernel.Pointwise(d, p.f32("raw", Role.OUTPUT, B, 4), new KExpr.Select(xs, ys, c(2f))),
                new Kernel.Pointwise(d, p.f32("negzero", Role.OUTPUT, B, 4), new KExpr.Select(c(-0f), xs, ys)),
                new Kernel.Pointwise(d, p.f32("zero", Role.OUTPUT, B, 4), new KExpr.Select(c(0f), xs, ys)),
                new Kernel.Pointwise(d, p.f32("nested", Role.OUTPUT, B, 4),
                        sub(add(c(1f), gt), mul(new KExpr.Select(new KExpr.Select(xs, bin(BinaryFn.GE, ys, xs), c(0f)), gt, xs), ys))))
                .build();
    }

    /**
     * Rows of 37 (four vectors and a tail of 5) whose lanes select, hash and take erf: where with a
     * comparison, a raw value (±0, ±∞), a NaN-or-zero condition (x − x), constant conditions and nested
     * selects; leaky_relu, gelu and dropout's mask as the lowering builds them; selects inside a lane
     * accumulator and a fold in place.
     */
    static KernelProgram wideSelect() {
        ProgramBuilder p = new ProgramBuilder("wideSelect");
        Shape d = shape(B, 37);
        Buffer x = p.f32("x", Role.INPUT, B, 37);
        Buffer w = p.f32("w", Role.PARAM, 37);
        Buffer s = p.f32("s", Role.PARAM);
        KExpr xs = flat(x, d), ws = load(w, 0, 1), ss = load(s, 0, 0);
        KExpr gt = new KExpr.Select(bin(BinaryFn.GT, xs, ws), xs, mul(c(0.01f), xs));
        KExpr nanOrZero = sub(xs, xs);
        KExpr hash = bin(BinaryFn.HASH, bin(BinaryFn.HASH, xs, c(3f)), add(ss, c(17f)));
        KExpr gelu = mul(mul(c(0.5f), xs), add(c(1f), un(UnaryFn.ERF, mul(xs, c((float) (1 / Math.sqrt(2)))))));
        List<Kernel> ks = new ArrayList<>();
        ks.add(new Kernel.Pointwise(d, p.f32("leaky", Role.OUTPUT, B, 37), gt));
        ks.add(new Kernel.Pointwise(d, p.f32("raw", Role.OUTPUT, B, 37), new KExpr.Select(xs, ws, c(-0f))));
        ks.add(new Kernel.Pointwise(d, p.f32("nan", Role.OUTPUT, B, 37), new KExpr.Select(nanOrZero, xs, ws)));
        ks.add(new Kernel.Pointwise(d, p.f32("nanValue", Role.OUTPUT, B, 37), new KExpr.Select(ws, nanOrZero, un(UnaryFn.NEG, nanOrZero))));
        ks.add(new Kernel.Pointwise(d, p.f32("negzero", Role.OUTPUT, B, 37), new KExpr.Select(c(-0f), xs, ws)));
        ks.add(new Kernel.Pointwise(d, p.f32("invariant", Role.OUTPUT, B, 37), new KExpr.Select(ss, xs, ws)));
        ks.add(new Kernel.Pointwise(d, p.f32("nested", Role.OUTPUT, B, 37),
                sub(add(c(1f), gt), mul(new KExpr.Select(new KExpr.Select(xs, bin(BinaryFn.GE, ws, xs), c(0f)), gt, xs), ws))));
        ks.add(new Kernel.Pointwise(d, p.f32("hash", Role.OUTPUT, B, 37), hash));
        ks.add(new Kernel.Pointwise(d, p.f32("dropout", Role.OUTPUT, B, 37),
                new KExpr.Select(bin(BinaryFn.GE, hash, c(0.25f)), div(xs, c(0.75f)), c(0f))));
        ks.add(new Kernel.Pointwise(d, p.f32("gelu", Role.OUTPUT, B, 37), gelu));
        ks.add(new Kernel.Pointwise(d, p.f32("erfWide", Role.OUTPUT, B, 37), un(UnaryFn.ERF, mul(xs, c(2.5f)))));
        ks.add(new Kernel.Reduce(d, List.of(1), ReduceFn.SUM, p.f32("sumRow", Role.OUTPUT, B), add(gt, gelu)));
        ks.add(new Kernel.Reduce(d, List.of(0), ReduceFn.SUM, p.f32("sumCol", Role.OUTPUT, 37), new KExpr.Select(nanOrZero, ws, hash)));
        // divisions by constants: powers of two become multiplications in lanes (2⁻¹²⁶ and 2¹²⁶ at the ends
        // of the range, subnormal quotients included), others and 2¹²⁷ (reciprocal subnormal) stay divisions
        float[] divisors = {4f, -0.125f, 0x1p126f, 0x1p-126f, 0x1p127f, 3f, 0.75f};
        for (int k = 0; k < divisors.length; k++)
            ks.add(new Kernel.Pointwise(d, p.f32("quotient" + k, Role.OUTPUT, B, 37), div(mul(xs, ws), c(divisors[k]))));
        ks.add(new Kernel.Reduce(d, List.of(1), ReduceFn.MAX, p.f32("maxScaled", Role.OUTPUT, B), div(xs, c(4f))));
        return p.entry("evaluate", ks.toArray(Kernel[]::new)).build();
    }

    /** One-hot rows from an i32 class-index buffer. */
    static KernelProgram oneHot() {
        ProgramBuilder p = new ProgramBuilder("onehot");
        Shape d = shape(B, 5);
        Buffer y = p.i32("y", Role.TARGET, B);
        Buffer x = p.f32("x", Role.INPUT, B, 5);
        Buffer h = p.f32("h", Role.OUTPUT, B, 5);
        Buffer t = p.f32("t", Role.OUTPUT, 5, B);
        Buffer n = p.f32("n", Role.OUTPUT, B);
        return p.entry("train",
                new Kernel.Pointwise(d, h, sub(mul(new KExpr.OneHot(load(y, 1, 0), 1), c(2f)), flat(x, d))),
                new Kernel.Pointwise(shape(5, B), t, new KExpr.OneHot(load(y, 0, 1), 0)),
                new Kernel.Reduce(d, List.of(1), ReduceFn.SUM, n, mul(new KExpr.OneHot(load(y, 1, 0), 1), flat(x, d))))
                .build();
    }

    /**
     * One-hot rows 45 classes wide from class indices ({@link EmitterAgreementTest} fills an i32 buffer
     * named {@code labels} with -3..50: in each 8-lane block, before it, after it, and out of range): as
     * a cross-entropy gradient (x − one-hot), alone, and folded into a row sum (lane accumulators: 45 ≥
     * {@code VectorPlan.MIN_LANE_RUN}). All three are vector loops over the class axis
     * ({@code VectorMath.oneHot}; at least {@code VectorWarmup.MIN_LENGTH} classes, else the scalar twin
     * always runs) with a scalar tail of 5.
     */
    static KernelProgram wideOneHot() {
        ProgramBuilder p = new ProgramBuilder("wideonehot");
        Shape d = shape(B, 45);
        Buffer y = p.i32("labels", Role.TARGET, B);
        Buffer x = p.f32("x", Role.INPUT, B, 45);
        Buffer g = p.f32("g", Role.OUTPUT, B, 45);
        Buffer h = p.f32("h", Role.OUTPUT, B, 45);
        Buffer n = p.f32("n", Role.OUTPUT, B);
        return p.entry("train",
                new Kernel.Pointwise(d, g, sub(flat(x, d), new KExpr.OneHot(load(y, 1, 0), 1))),
                new Kernel.Pointwise(d, h, new KExpr.OneHot(load(y, 1, 0), 1)),
                new Kernel.Reduce(d, List.of(1), ReduceFn.SUM, n, mul(new KExpr.OneHot(load(y, 1, 0), 1), flat(x, d))))
                .build();
    }

    /**
     * Rows of a [5,19] table picked by i32 indices [batch,3] (19 columns: two vectors and
     * a tail): alone, in arithmetic, folded over axis 1, transposed (the row index varies along the
     * inner loop, so it stays scalar), and the scatter-add of a [batch,3,19] tensor back into 5 rows.
     */
    static KernelProgram gather() {
        ProgramBuilder p = new ProgramBuilder("gather");
        Shape d = shape(B, 3, 19);
        Buffer idx = p.i32("idx", Role.INPUT, B, 3);
        Buffer w = p.f32("w", Role.PARAM, 5, 19);
        Buffer x = p.f32("x", Role.INPUT, B, 3, 19);
        KExpr rows = new KExpr.Gather(load(idx, 3, 1, 0), load(w, 0, 0, 1), 5, 19);
        Buffer sum = p.f32("sum", Role.OUTPUT, B, 19);
        return p.entry("train",
                new Kernel.Pointwise(d, p.f32("e", Role.OUTPUT, B, 3, 19), rows),
                new Kernel.Pointwise(d, p.f32("y", Role.OUTPUT, B, 3, 19), add(mul(rows, c(2f)), flat(x, d))),
                new Kernel.Reduce(d, List.of(1), ReduceFn.SUM, sum, mul(rows, flat(x, d))),
                new Kernel.Pointwise(shape(19, B, 3), p.f32("t", Role.OUTPUT, 19, B, 3),
                        new KExpr.Gather(load(idx, 0, 3, 1), load(w, 1, 0, 0), 5, 19)),
                new Kernel.ScatterAdd(x, idx, p.f32("dw", Role.OUTPUT, 5, 19), shape(B, 3).numel(), 5, 19))
                .build();
    }

    /**
     * Loop indices as values over [batch,3,8]: each axis alone, times a load, in a per-element hash
     * (dropout's draw), as a last-step mask in a reduce over axis 1, and over a domain with a size-1 axis.
     */
    static KernelProgram index() {
        ProgramBuilder p = new ProgramBuilder("index");
        Shape d = shape(B, 3, 8);
        Buffer x = p.f32("x", Role.INPUT, B, 3, 8);
        KExpr i0 = new KExpr.Index(0), i1 = new KExpr.Index(1), i2 = new KExpr.Index(2);
        return p.entry("train",
                new Kernel.Pointwise(d, p.f32("rows", Role.OUTPUT, B, 3, 8), i0),
                new Kernel.Pointwise(d, p.f32("steps", Role.OUTPUT, B, 3, 8), mul(i1, flat(x, d))),
                new Kernel.Pointwise(d, p.f32("cols", Role.OUTPUT, B, 3, 8), add(flat(x, d), i2)),
                new Kernel.Pointwise(d, p.f32("draw", Role.OUTPUT, B, 3, 8),
                        bin(BinaryFn.HASH, bin(BinaryFn.HASH, bin(BinaryFn.HASH, i0, i1), i2), c(12345f))),
                new Kernel.Reduce(d, List.of(1), ReduceFn.SUM, p.f32("last", Role.OUTPUT, B, 8), mul(flat(x, d), bin(BinaryFn.EQ, i1, c(2f)))),
                new Kernel.Pointwise(shape(B, 1, 8), p.f32("one", Role.OUTPUT, B, 1, 8), add(new KExpr.Index(1), mul(c(10f), i2))))
                .build();
    }

    /** SUM and MAX over axis 0, axis 1, axis 2, axes {0,2} and all axes of [batch,3,4]. */
    static KernelProgram reduce() {
        ProgramBuilder p = new ProgramBuilder("reduce");
        Shape d = shape(B, 3, 4);
        Buffer x = p.f32("x", Role.INPUT, B, 3, 4);
        Buffer w = p.f32("w", Role.PARAM, 4);
        List<Kernel> ks = new ArrayList<>();
        for (ReduceFn fn : ReduceFn.values()) {
            String f = fn.text();
            ks.add(new Kernel.Reduce(d, List.of(0), fn, p.f32(f + "0", Role.OUTPUT, 3, 4), flat(x, d)));
            ks.add(new Kernel.Reduce(d, List.of(1), fn, p.f32(f + "1", Role.OUTPUT, B, 4), mul(flat(x, d), load(w, 0, 0, 1))));
            ks.add(new Kernel.Reduce(d, List.of(2), fn, p.f32(f + "2", Role.OUTPUT, B, 3), flat(x, d)));
            ks.add(new Kernel.Reduce(d, List.of(0, 2), fn, p.f32(f + "02", Role.OUTPUT, 3), mul(flat(x, d), flat(x, d))));
            ks.add(new Kernel.Reduce(d, List.of(0, 1, 2), fn, p.f32(f + "All", Role.OUTPUT), flat(x, d)));
        }
        Shape d2 = shape(B, 3);
        Buffer v = p.f32("v", Role.INPUT, B, 3);
        ks.add(new Kernel.Reduce(d2, List.of(0), ReduceFn.SUM, p.f32("col", Role.OUTPUT, 3), flat(v, d2)));
        ks.add(new Kernel.Reduce(d2, List.of(1), ReduceFn.MAX, p.f32("row", Role.OUTPUT, B), flat(v, d2)));
        ks.add(new Kernel.Reduce(shape(B, 1), List.of(1), ReduceFn.SUM, p.f32("one", Role.OUTPUT, B), load(v, 3, 0)));
        return p.entry("evaluate", ks.toArray(Kernel[]::new)).build();
    }

    /**
     * Rows of 37 (four vectors and a tail of 5), 3 × 35 and 10 (too short for lane accumulators): every unary and binary function as vector
     * lanes with a broadcast row, reductions with lane accumulators (per row, over all points, over an
     * outer and the inner axis) and folds in place (over the batch).
     */
    static KernelProgram wide() {
        ProgramBuilder p = new ProgramBuilder("wide");
        Shape d = shape(B, 37);
        Buffer x = p.f32("x", Role.INPUT, B, 37);
        Buffer w = p.f32("w", Role.PARAM, 37);
        Buffer s = p.f32("s", Role.PARAM);
        List<Kernel> ks = new ArrayList<>();
        for (UnaryFn fn : UnaryFn.values())
            ks.add(new Kernel.Pointwise(d, p.f32("u_" + fn.text(), Role.OUTPUT, B, 37),
                    un(fn, add(flat(x, d), mul(load(w, 0, 1), load(s, 0, 0))))));
        for (BinaryFn fn : BinaryFn.values())
            ks.add(new Kernel.Pointwise(d, p.f32("b_" + fn.text(), Role.OUTPUT, B, 37), bin(fn, flat(x, d), load(w, 0, 1))));
        ks.add(new Kernel.Pointwise(d, p.f32("n", Role.OUTPUT, B, 37), div(flat(x, d), new KExpr.DimSize("batch"))));
        for (ReduceFn fn : ReduceFn.values()) {
            String f = fn.text();
            ks.add(new Kernel.Reduce(d, List.of(1), fn, p.f32(f + "Row", Role.OUTPUT, B), un(UnaryFn.EXP, flat(x, d))));
            ks.add(new Kernel.Reduce(d, List.of(0), fn, p.f32(f + "Col", Role.OUTPUT, 37), mul(flat(x, d), load(w, 0, 1))));
            ks.add(new Kernel.Reduce(d, List.of(0, 1), fn, p.f32(f + "All", Role.OUTPUT), flat(x, d)));
            ks.add(new Kernel.Reduce(d, List.of(0, 1), fn, p.f32(f + "Runs", Role.OUTPUT), sub(flat(x, d), load(w, 0, 1))));
        }
        Shape d3 = shape(B, 3, 35);
        Buffer y = p.f32("y", Role.INPUT, B, 3, 35);
        ks.add(new Kernel.Reduce(d3, List.of(0, 2), ReduceFn.SUM, p.f32("sum02", Role.OUTPUT, 3), flat(y, d3)));
        ks.add(new Kernel.Reduce(d3, List.of(2), ReduceFn.SUM, p.f32("sum2", Role.OUTPUT, B, 3), un(UnaryFn.TANH, flat(y, d3))));
        Shape d4 = shape(B, 10);
        Buffer z = p.f32("z", Role.INPUT, B, 10);
        ks.add(new Kernel.Reduce(d4, List.of(1), ReduceFn.SUM, p.f32("shortRow", Role.OUTPUT, B), flat(z, d4)));
        return p.entry("evaluate", ks.toArray(Kernel[]::new)).build();
    }

    /** A matrix product in each layout, with batch as m and as k. */
    static KernelProgram matmul() {
        ProgramBuilder p = new ProgramBuilder("matmul");
        Dim m = B;
        Buffer a = p.f32("a", Role.INPUT, B, 4);
        Buffer aT = p.f32("aT", Role.INPUT, 4, B);
        Buffer w = p.f32("w", Role.PARAM, 4, 3);
        Buffer wT = p.f32("wT", Role.PARAM, 3, 4);
        Buffer g = p.f32("g", Role.INPUT, B, 3);
        return p.entry("train",
                new Kernel.MatMul(a, w, p.f32("nn", Role.OUTPUT, B, 3), false, false, m, Dim.of(3), Dim.of(4)),
                new Kernel.MatMul(aT, w, p.f32("tn", Role.OUTPUT, B, 3), true, false, m, Dim.of(3), Dim.of(4)),
                new Kernel.MatMul(a, wT, p.f32("nt", Role.OUTPUT, B, 3), false, true, m, Dim.of(3), Dim.of(4)),
                new Kernel.MatMul(aT, wT, p.f32("tt", Role.OUTPUT, B, 3), true, true, m, Dim.of(3), Dim.of(4)),
                new Kernel.MatMul(a, g, p.f32("dw", Role.OUTPUT, 4, 3), true, false, Dim.of(4), Dim.of(3), B))
                .build();
    }

    /** Transposed and partly broadcast loads with symbolic strides, and size-1 axes. */
    static KernelProgram strided() {
        ProgramBuilder p = new ProgramBuilder("strided");
        Buffer xT = p.f32("xT", Role.INPUT, 3, B);
        Buffer x3 = p.f32("x3", Role.INPUT, B, 2, 3, 4);
        Buffer r = p.f32("r", Role.PARAM, 2, 1);
        Shape d = shape(B, 3);
        Shape d4 = shape(B, 2, 3, 4);
        Shape d5 = shape(B, 2, 1, 3, 4);
        return p.entry("predict",
                new Kernel.Pointwise(d, p.f32("x", Role.OUTPUT, B, 3), load(xT, 1, batch())),
                new Kernel.Pointwise(d4, p.f32("y", Role.OUTPUT, B, 2, 3, 4), add(flat(x3, d4), load(r, 0, 1, 0, 0))),
                new Kernel.Pointwise(d5, p.f32("z", Role.OUTPUT, B, 2, 1, 3, 4), mul(load(x3, 24, 12, 5, 4, 1), load(x3, 24, 0, 0, 4, 1))),
                new Kernel.Pointwise(d4, p.f32("zt", Role.OUTPUT, B, 2, 3, 4), load(x3, 24, 1, 8, 2)))
                .build();
    }

    /** One step of linear regression (MSE, SGD): train, evaluate and predict entries. */
    static KernelProgram linearRegression() {
        ProgramBuilder p = new ProgramBuilder("linreg");
        Buffer x = p.f32("x", Role.INPUT, B, 3);
        Buffer y = p.f32("y", Role.TARGET, B, 1);
        Buffer w = p.f32("w", Role.PARAM, 3, 1);
        Buffer b = p.f32("b", Role.PARAM, 1);
        Buffer pred = p.f32("pred", Role.OUTPUT, B, 1);
        Buffer loss = p.f32("loss", Role.OUTPUT);
        Buffer xw = p.temp("t0", B, 1);
        Buffer diff = p.temp("t1", B, 1);
        Buffer sq = p.temp("t2");
        Buffer grad = p.temp("t3", B, 1);
        Buffer dw = p.temp("t4", 3, 1);
        Buffer db = p.temp("t5", 1);
        Shape rows = shape(B, 1);
        Kernel[] forward = {
            new Kernel.MatMul(x, w, xw, false, false, B, Dim.of(1), Dim.of(3)),
            new Kernel.Pointwise(rows, pred, add(flat(xw, rows), load(b, 0, 0))),
        };
        Kernel[] lossKernels = {
            new Kernel.Pointwise(rows, diff, sub(flat(pred, rows), flat(y, rows))),
            new Kernel.Reduce(rows, List.of(0, 1), ReduceFn.SUM, sq, mul(flat(diff, rows), flat(diff, rows))),
            new Kernel.Pointwise(Shape.SCALAR, loss, div(load(sq), new KExpr.DimSize("batch"))),
        };
        Kernel[] backward = {
            new Kernel.Pointwise(rows, grad, div(mul(c(2f), flat(diff, rows)), new KExpr.DimSize("batch"))),
            new Kernel.MatMul(x, grad, dw, true, false, Dim.of(3), Dim.of(1), B),
            new Kernel.Reduce(rows, List.of(0), ReduceFn.SUM, db, flat(grad, rows)),
            new Kernel.Pointwise(shape(3, 1), w, sub(load(w, 1, 1), mul(c(0.1f), load(dw, 1, 1)))),
            new Kernel.Pointwise(shape(1), b, sub(load(b, 1), mul(c(0.1f), load(db, 1)))),
        };
        List<Kernel> train = new ArrayList<>(List.of(forward));
        train.addAll(List.of(lossKernels));
        train.addAll(List.of(backward));
        List<Kernel> eval = new ArrayList<>(List.of(forward));
        eval.addAll(List.of(lossKernels));
        return p.loss(loss)
                .entry("train", train.toArray(Kernel[]::new))
                .entry("evaluate", eval.toArray(Kernel[]::new))
                .entry("predict", forward)
                .build();
    }

    /** Enough kernels in one entry that its calls are split over several chunk methods. */
    static KernelProgram chunked() {
        ProgramBuilder p = new ProgramBuilder("chunked");
        Shape d = shape(B, 2);
        List<Buffer> bufs = new ArrayList<>();
        for (int k = 0; k < 8; k++) bufs.add(p.f32("v" + k, Role.STATE, B, 2));
        List<Kernel> ks = new ArrayList<>();
        for (int k = 0; k < 600; k++) {
            Buffer out = bufs.get(k % 8);
            KExpr sum = flat(bufs.get((k + 1) % 8), d);
            for (int j = 2; j < 6; j++) sum = add(sum, mul(flat(bufs.get((k + j) % 8), d), c(0.25f)));
            ks.add(new Kernel.Pointwise(d, out, un(UnaryFn.TANH, sum)));
        }
        return p.entry("train", ks.toArray(Kernel[]::new)).build();
    }
}
