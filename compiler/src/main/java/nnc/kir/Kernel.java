package nnc.kir;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import nnc.ir.ReduceFn;
import nnc.ir.SpatialFn;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.Size;

/** One loop nest or library call of a step. Kernels of an entry run in list order. */
public sealed interface Kernel {
    /** Output buffer. */
    Buffer out();

    /**
     * {@code out[flat(i)] = value(i)} for every point {@code i} of {@code domain} in row-major
     * order; {@code out} has the domain's shape.
     */
    record Pointwise(Shape domain, Buffer out, KExpr value) implements Kernel {
        // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
        // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
        @Override public boolean equals(Object other) {
            return other instanceof Pointwise that && Objects.equals(domain, that.domain) && Objects.equals(out, that.out)
                    && Objects.equals(value, that.value);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(domain);
            result = 31 * result + Objects.hashCode(out);
            return 31 * result + Objects.hashCode(value);
        }
    }

    /**
     * For every point of {@code domain}, folds {@code value(i)} into {@code out} at the point with
     * the {@code axes} removed (row-major). Each output element folds its points in increasing
     * row-major order, starting from 0 (SUM) or -∞ (MAX). A {@code prologue} (pointwise kernels over
     * the domain, often none) is computed and stored at each point first, in one loop nest with the
     * fold, and the value may read what it stored there: a bias's gradient summed over the batch as
     * the gradient it sums is computed. Only for reductions that fold into {@code out} in place
     * (the reduced axes outside the kept ones, as a sum over the batch), checked by the emitters.
     */
    record Reduce(Shape domain, List<Integer> axes, ReduceFn fn, Buffer out, KExpr value, List<Pointwise> prologue) implements Kernel {
        public Reduce {
            axes = List.copyOf(axes);
            prologue = List.copyOf(prologue);
            for (Pointwise p : prologue)
                if (!p.domain().equals(domain)) throw new IllegalArgumentException("prologue over " + p.domain() + " in a reduction over " + domain);
        }

        /** A reduction of {@code value} alone. */
        public Reduce(Shape domain, List<Integer> axes, ReduceFn fn, Buffer out, KExpr value) { this(domain, axes, fn, out, value, List.of()); }

        @Override public boolean equals(Object other) {
            return other instanceof Reduce that && Objects.equals(domain, that.domain) && Objects.equals(axes, that.axes)
                    && Objects.equals(fn, that.fn) && Objects.equals(out, that.out) && Objects.equals(value, that.value)
                    && Objects.equals(prologue, that.prologue);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(domain);
            result = 31 * result + Objects.hashCode(axes);
            result = 31 * result + Objects.hashCode(fn);
            result = 31 * result + Objects.hashCode(out);
            result = 31 * result + Objects.hashCode(value);
            return 31 * result + Objects.hashCode(prologue);
        }
    }

    /**
     * {@code out = op(a) · op(b)} through {@code nnc.runtime.kernels.Gemm.matmul(transA, transB,
     * m, n, k, a, 0, b, 0, out, 0)}; m, n, k are evaluated with the step's batch. A batched product
     * ({@code batch} not 1: attention's {@code [b, h, t, k] @ [b, h, k, n]}) multiplies {@code batch}
     * pairs of matrices stored one after another, the i-th at offsets i·m·k (a), i·k·n (b) and i·m·n
     * (out), through {@code nnc.runtime.kernels.BatchedGemm.matmul}. Elementwise work on the product
     * (bias, activation, an activation's derivative, an optimiser update) is a {@link WithEpilogue}.
     * A batched product with {@code views} (not null) reads and writes its matrices where they lie
     * ({@link MatrixViews}: attention's heads in place) instead of one after another.
     */
    record MatMul(Buffer a, Buffer b, Buffer out, boolean transA, boolean transB, Dim m, Dim n, Dim k, Dim batch, MatrixViews views) implements Kernel {
        /** One product. */
        public MatMul(Buffer a, Buffer b, Buffer out, boolean transA, boolean transB, Dim m, Dim n, Dim k) {
            this(a, b, out, transA, transB, m, n, k, Dim.ONE);
        }

        /** Matrices stored one after another. */
        public MatMul(Buffer a, Buffer b, Buffer out, boolean transA, boolean transB, Dim m, Dim n, Dim k, Dim batch) {
            this(a, b, out, transA, transB, m, n, k, batch, null);
        }

        /** This product reading {@code a} and {@code b} and writing {@code out} through {@code views}. */
        public MatMul withViews(Buffer a, Buffer b, Buffer out, MatrixViews views) {
            return new MatMul(a, b, out, transA, transB, m, n, k, batch, views);
        }

        /** More than one pair of matrices. */
        public boolean isBatched() { return !batch.isOne(); }

        @Override public boolean equals(Object other) {
            return other instanceof MatMul that && Objects.equals(a, that.a) && Objects.equals(b, that.b) && Objects.equals(out, that.out)
                    && transA == that.transA && transB == that.transB && Objects.equals(m, that.m) && Objects.equals(n, that.n)
                    && Objects.equals(k, that.k) && Objects.equals(batch, that.batch) && Objects.equals(views, that.views);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(a);
            result = 31 * result + Objects.hashCode(b);
            result = 31 * result + Objects.hashCode(out);
            result = 31 * result + Boolean.hashCode(transA);
            result = 31 * result + Boolean.hashCode(transB);
            result = 31 * result + Objects.hashCode(m);
            result = 31 * result + Objects.hashCode(n);
            result = 31 * result + Objects.hashCode(k);
            result = 31 * result + Objects.hashCode(batch);
            return 31 * result + Objects.hashCode(views);
        }
    }

    /**
     * A product or a reduction ({@code head}), then {@code stages}, in one method: kernels each over
     * the shape of the output of the one before (the head's for the first) that read it only at the
     * same point, each stage a pointwise kernel, a fused one or a reduction (with its prologue). For a
     * product: bias and activation, an activation's derivative (and the sum of it over the batch,
     * a bias's gradient), the optimiser's update of the parameter whose gradient it is; for a
     * reduction: the loss's division by the batch, the update of a bias from its summed gradient.
     * The result is that of the head and the stages run one after another. {@code out} is the head's.
     */
    record WithEpilogue(Kernel head, List<Kernel> stages) implements Kernel {
        public WithEpilogue {
            stages = List.copyOf(stages);
            if (stages.isEmpty()) throw new IllegalArgumentException("an epilogue has stages");
            if (!(head instanceof Reduce || head instanceof MatMul m && !m.isBatched()))
                throw new IllegalArgumentException("an epilogue follows a product or a reduction, not " + head);
            Kernel before = head;
            for (Kernel k : stages) {
                Shape domain;
                if (k instanceof Pointwise p) domain = p.domain();
                else if (k instanceof Fused f) domain = f.domain();
                else if (k instanceof Reduce r) domain = r.domain();
                else throw new IllegalArgumentException("an epilogue stage is pointwise or a reduction, not " + k);
                if (!domain.numel().equals(before.out().shape().numel()))
                    throw new IllegalArgumentException("stage over " + domain + " after a kernel writing " + before.out().shape());
                before = k;
            }
        }

        @Override public Buffer out() { return head.out(); }

        @Override public boolean equals(Object other) {
            return other instanceof WithEpilogue that && Objects.equals(head, that.head) && Objects.equals(stages, that.stages);
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(head) + Objects.hashCode(stages); }
    }

    // ---- library calls ----

    /**
     * A call of a runtime routine, {@code nnc.runtime.kernels.SpatialCalls.<fn.routine()>(a, b, out,
     * work, n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups)}: convolution or pooling, forward or backward. {@code b}
     * and {@code work} are null when the routine takes none; {@code work} is a planned intermediate
     * buffer (the im2col workspace), written and read only by this kernel. {@code n} is evaluated
     * with the step's batch; the other sizes are fixed (see {@code SpatialCalls}).
     */
    record Call(SpatialFn fn, Buffer a, Buffer b, Buffer out, Buffer work, Dim n, int c, int h, int w, int oc, int kh, int kw,
                int sh, int sw, int ph, int pw, int dh, int dw, int groups) implements Kernel {
        /** The array operands in call order (a, b, out, work), null where absent. */
        public List<Buffer> arrays() { return Arrays.asList(a, b, out, work); }

        /** The fixed integer operands after {@code n}, in call order. */
        public int[] sizes() { return new int[] {c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups}; }

        /** The buffers the routine reads (a and b). */
        public List<Buffer> inputs() { return b == null ? List.of(a) : List.of(a, b); }

        @Override public boolean equals(Object other) {
            return other instanceof Call that && Objects.equals(fn, that.fn) && Objects.equals(a, that.a) && Objects.equals(b, that.b)
                    && Objects.equals(out, that.out) && Objects.equals(work, that.work) && Objects.equals(n, that.n) && c == that.c
                    && h == that.h && w == that.w && oc == that.oc && kh == that.kh && kw == that.kw && sh == that.sh && sw == that.sw
                    && ph == that.ph && pw == that.pw && dh == that.dh && dw == that.dw && groups == that.groups;
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(fn);
            result = 31 * result + Objects.hashCode(a);
            result = 31 * result + Objects.hashCode(b);
            result = 31 * result + Objects.hashCode(out);
            result = 31 * result + Objects.hashCode(work);
            result = 31 * result + Objects.hashCode(n);
            result = 31 * result + c;
            result = 31 * result + h;
            result = 31 * result + w;
            result = 31 * result + oc;
            result = 31 * result + kh;
            result = 31 * result + kw;
            result = 31 * result + sh;
            result = 31 * result + sw;
            result = 31 * result + ph;
            result = 31 * result + pw;
            result = 31 * result + dh;
            result = 31 * result + dw;
            return 31 * result + groups;
        }
    }

    /**
     * Several pointwise kernels over one domain in one loop nest: at each point, {@code parts} in
     * order. A part may read what an earlier part wrote only at the same point (and an earlier part
     * may read what a later part writes only at the same point), so the result is that of the parts
     * run one after another (the pointwise-merging pass checks this). {@code out} is the
     * first part's.
     */
    record Fused(Shape domain, List<Pointwise> parts) implements Kernel {
        public Fused {
            parts = List.copyOf(parts);
            if (parts.size() < 2) throw new IllegalArgumentException("a fused kernel has several parts");
            for (Pointwise p : parts)
                if (!p.domain().equals(domain)) throw new IllegalArgumentException("part over " + p.domain() + " in a kernel over " + domain);
        }

        @Override public Buffer out() { return parts.get(0).out(); }

        @Override public boolean equals(Object other) {
            return other instanceof Fused that && Objects.equals(domain, that.domain) && Objects.equals(parts, that.parts);
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(domain) + Objects.hashCode(parts); }
    }

    // ---- loops (scan) ----

    /**
     * {@code steps} runs of {@code body} in order, step {@code t} counting up from 0, or down from
     * {@code steps − 1} when {@code reverse}. Only {@link StepCopy} kernels of the body see {@code
     * t}; the other body kernels are ordinary kernels over the loop's own buffers. {@code out} is
     * one buffer the loop writes for later kernels (a stacked output), for tools that show one.
     */
    record Loop(int steps, boolean reverse, List<Kernel> body, Buffer out) implements Kernel {
        public Loop { body = List.copyOf(body); }

        @Override public boolean equals(Object other) {
            return other instanceof Loop that && steps == that.steps && reverse == that.reverse && Objects.equals(body, that.body)
                    && Objects.equals(out, that.out);
        }
        @Override public int hashCode() {
            int result = steps;
            result = 31 * result + Boolean.hashCode(reverse);
            result = 31 * result + Objects.hashCode(body);
            return 31 * result + Objects.hashCode(out);
        }
    }

    /**
     * Inside a {@link Loop}: copies {@code length} elements from {@code from} to {@code to}, at
     * offset {@code t · length} in a buffer marked stepped (a stacked sequence, one slice per step)
     * and at offset 0 otherwise. {@code length} is evaluated with the step's batch.
     */
    record StepCopy(Buffer from, boolean fromStepped, Buffer to, boolean toStepped, Size length) implements Kernel {
        @Override public Buffer out() { return to; }

        @Override public boolean equals(Object other) {
            return other instanceof StepCopy that && Objects.equals(from, that.from) && fromStepped == that.fromStepped
                    && Objects.equals(to, that.to) && toStepped == that.toStepped && Objects.equals(length, that.length);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(from);
            result = 31 * result + Boolean.hashCode(fromStepped);
            result = 31 * result + Objects.hashCode(to);
            result = 31 * result + Boolean.hashCode(toStepped);
            return 31 * result + Objects.hashCode(length);
        }
    }
    // ---- scatter-add ----

    /**
     * {@code nnc.runtime.kernels.Gathers.scatterAdd(values, indices, out, positions, rows, cols)}:
     * {@code out [rows, cols]} zeroed, then row p of {@code values [positions, cols]} added into row
     * {@code indices[p]} for p in increasing order (deterministic). {@code positions} is evaluated with
     * the step's batch; {@code out} never shares storage with the operands.
     */
    record ScatterAdd(Buffer values, Buffer indices, Buffer out, Size positions, int rows, int cols) implements Kernel {
        @Override public boolean equals(Object other) {
            return other instanceof ScatterAdd that && Objects.equals(values, that.values) && Objects.equals(indices, that.indices)
                    && Objects.equals(out, that.out) && Objects.equals(positions, that.positions) && rows == that.rows && cols == that.cols;
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(values);
            result = 31 * result + Objects.hashCode(indices);
            result = 31 * result + Objects.hashCode(out);
            result = 31 * result + Objects.hashCode(positions);
            result = 31 * result + rows;
            return 31 * result + cols;
        }
    }
}
