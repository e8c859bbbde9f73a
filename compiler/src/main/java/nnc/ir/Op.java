package nnc.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import nnc.runtime.Init;
import nnc.runtime.Role;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * The closed set of Graph IR primitives. Layers and losses lower to these; nothing downstream of
 * lowering knows about dense layers or cross-entropy. Adding a primitive here breaks every
 * exhaustive switch over it (types, VJP rules, interpreter, scheduler) until each handles it.
 */
public sealed interface Op {
    FusionKind fusionKind();

    /** Mnemonic in the text form. */
    String mnemonic();

    /** Attributes in the text form, e.g. {@code [axes=0]}; empty when none. */
    default String attributes() { return ""; }

    /** A leaf with a name in the trainer's interface: an input, a parameter or state. */
    sealed interface Named extends Op {
        String name();
    }

    /** A named leaf carried from step to step, whose new value an update writes back: a parameter or state. */
    sealed interface Carried extends Named {}

    /** A leaf fed from outside each step: an input (role INPUT) or a target (role TARGET). */
    record Input(String name, Role role, TensorType type) implements Named {
        public FusionKind fusionKind() { return FusionKind.LEAF; }
        public String mnemonic() { return role == Role.TARGET ? "target" : "input"; }
        @Override public String attributes() { return " " + name; }

        // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
        // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
        @Override public boolean equals(Object other) {
            return other instanceof Input that && Objects.equals(name, that.name) && Objects.equals(role, that.role)
                    && Objects.equals(type, that.type);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(name);
            result = 31 * result + Objects.hashCode(role);
            return 31 * result + Objects.hashCode(type);
        }
    }

    /** A trained parameter. */
    record Param(String name, TensorType type, Init init) implements Carried {
        public FusionKind fusionKind() { return FusionKind.LEAF; }
        public String mnemonic() { return "param"; }
        @Override public String attributes() { return " " + name; }

        @Override public boolean equals(Object other) {
            return other instanceof Param that && Objects.equals(name, that.name) && Objects.equals(type, that.type)
                    && Objects.equals(init, that.init);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(name);
            result = 31 * result + Objects.hashCode(type);
            return 31 * result + Objects.hashCode(init);
        }
    }

    /**
     * State carried from step to step (optimiser moments, counters, running statistics): zero at the
     * start, or drawn from {@code init} with the run's seed when it is given (dropout's seed).
     */
    record State(String name, TensorType type, Init init) implements Carried {
        public State(String name, TensorType type) { this(name, type, null); }

        public FusionKind fusionKind() { return FusionKind.LEAF; }
        public String mnemonic() { return "state"; }
        @Override public String attributes() { return " " + name; }

        @Override public boolean equals(Object other) {
            return other instanceof State that && Objects.equals(name, that.name) && Objects.equals(type, that.type)
                    && Objects.equals(init, that.init);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(name);
            result = 31 * result + Objects.hashCode(type);
            return 31 * result + Objects.hashCode(init);
        }
    }

    /** An f32 scalar constant. */
    record Constant(double value) implements Op {
        public FusionKind fusionKind() { return FusionKind.LEAF; }
        public String mnemonic() { return "const"; }
        @Override public String attributes() { return " " + value; }

        @Override public boolean equals(Object other) { return other instanceof Constant that && Double.compare(value, that.value) == 0; }
        @Override public int hashCode() { return Double.hashCode(value); }
    }

    /** The run-time size of a symbolic dimension as an f32 scalar (for means over the batch). */
    record DimSize(String symbol) implements Op {
        public FusionKind fusionKind() { return FusionKind.LEAF; }
        public String mnemonic() { return "dimsize"; }
        @Override public String attributes() { return " " + symbol; }

        @Override public boolean equals(Object other) { return other instanceof DimSize that && Objects.equals(symbol, that.symbol); }
        @Override public int hashCode() { return Objects.hashCode(symbol); }
    }

    /**
     * The index of each element along {@code axis} of {@code shape}, as f32 (0, 1, 2, …): a leaf
     * with no inputs, broadcastable like any value (an {@code [T,1]} iota in a {@code [batch,T,d]}
     * loop is the time index). Recomputed inside every loop that reads it; stored once per step
     * only for readers that need memory (a matmul operand, a transpose).
     * f32 represents integers exactly only up to 2^24, so indices along an axis longer than
     * 16 777 216 would round: hash per-axis indices separately rather than a flat index.
     */
    record Iota(Shape shape, int axis) implements Op {
        public Iota {
            if (axis < 0 || axis >= shape.rank()) throw new IllegalArgumentException("iota axis " + axis + " of " + shape);
        }
        public FusionKind fusionKind() { return FusionKind.LEAF; }
        public String mnemonic() { return "iota"; }
        @Override public String attributes() { return "[axis=" + axis + "]"; } // the shape is the node's type

        @Override public boolean equals(Object other) {
            return other instanceof Iota that && Objects.equals(shape, that.shape) && axis == that.axis;
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(shape) + axis; }
    }

    record Unary(UnaryFn fn) implements Op {
        public FusionKind fusionKind() { return FusionKind.ELEMENTWISE; }
        public String mnemonic() { return fn.text(); }

        @Override public boolean equals(Object other) { return other instanceof Unary that && Objects.equals(fn, that.fn); }
        @Override public int hashCode() { return Objects.hashCode(fn); }
    }

    /** Elementwise with NumPy broadcasting of the two inputs. */
    record Binary(BinaryFn fn) implements Op {
        public FusionKind fusionKind() { return FusionKind.ELEMENTWISE; }
        public String mnemonic() { return fn.text(); }

        @Override public boolean equals(Object other) { return other instanceof Binary that && Objects.equals(fn, that.fn); }
        @Override public int hashCode() { return Objects.hashCode(fn); }
    }

    /** {@code cond != 0 ? a : b} elementwise, the three inputs (cond, a, b) broadcast together. */
    record Where() implements Op {
        public FusionKind fusionKind() { return FusionKind.ELEMENTWISE; }
        public String mnemonic() { return "where"; }

        @Override public boolean equals(Object other) { return other instanceof Where; }
        @Override public int hashCode() { return 0; }
    }

    /**
     * A sum or max over {@code axes}. A {@code shift} max is the row maximum that softmax and
     * log-sum-exp subtract to keep {@code exp} from overflowing: their value does not depend on it, so
     * its exact gradient is zero and none flows through it (as in PyTorch's softmax backward); it
     * prints as {@code [axes=…,keep,shift]}.
     */
    record Reduce(ReduceFn fn, List<Integer> axes, boolean keepDims, boolean shift) implements Op {
        public Reduce {
            axes = List.copyOf(axes);
            if (shift && fn != ReduceFn.MAX) throw new IllegalArgumentException("only a max is a shift");
        }

        public Reduce(ReduceFn fn, List<Integer> axes, boolean keepDims) { this(fn, axes, keepDims, false); }

        public FusionKind fusionKind() { return FusionKind.REDUCE; }
        public String mnemonic() { return "reduce_" + fn.text(); }
        @Override public String attributes() {
            return axes.stream().map(String::valueOf).collect(Collectors.joining(",", "[axes=", (keepDims ? ",keep" : "") + (shift ? ",shift]" : "]")));
        }

        @Override public boolean equals(Object other) {
            return other instanceof Reduce that && Objects.equals(fn, that.fn) && Objects.equals(axes, that.axes)
                    && keepDims == that.keepDims && shift == that.shift;
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(fn);
            result = 31 * result + Objects.hashCode(axes);
            result = 31 * result + Boolean.hashCode(keepDims);
            return 31 * result + Boolean.hashCode(shift);
        }
    }

    /**
     * Matrix product with optional transposes of either operand's last two axes: 2-D, or batched over
     * equal leading axes ({@code [b, h, t, k] @ [b, h, k, n] → [b, h, t, n]}, attention), see
     * {@code ShapeRules.matmul}. The VJP rule is the same for both.
     */
    record MatMul(boolean transA, boolean transB) implements Op {
        public FusionKind fusionKind() { return FusionKind.OUT_FUSABLE; }
        public String mnemonic() { return "matmul"; }
        @Override public String attributes() {
            return transA || transB ? "[" + (transA ? "ta" : "") + (transA && transB ? "," : "") + (transB ? "tb" : "") + "]" : "";
        }

        @Override public boolean equals(Object other) {
            return other instanceof MatMul that && transA == that.transA && transB == that.transB;
        }
        @Override public int hashCode() { return 31 * Boolean.hashCode(transA) + Boolean.hashCode(transB); }
    }

    /** Repeats the input (NumPy broadcasting) to shape {@code to}. */
    record Broadcast(Shape to) implements Op {
        public FusionKind fusionKind() { return FusionKind.BROADCAST; }
        public String mnemonic() { return "broadcast"; }
        @Override public String attributes() { return "[to=" + to + "]"; }

        @Override public boolean equals(Object other) { return other instanceof Broadcast that && Objects.equals(to, that.to); }
        @Override public int hashCode() { return Objects.hashCode(to); }
    }

    /** Same elements, new shape. */
    record Reshape(Shape to) implements Op {
        public FusionKind fusionKind() { return FusionKind.INJECTIVE; }
        public String mnemonic() { return "reshape"; }
        @Override public String attributes() { return "[to=" + to + "]"; }

        @Override public boolean equals(Object other) { return other instanceof Reshape that && Objects.equals(to, that.to); }
        @Override public int hashCode() { return Objects.hashCode(to); }
    }

    /**
     * Permutes the axes: output axis {@code k} is input axis {@code perm[k]} ({@code [0,2,1]} swaps
     * the last two axes of a rank-3 tensor).
     */
    record Transpose(List<Integer> perm) implements Op {
        public Transpose { perm = List.copyOf(perm); }
        public FusionKind fusionKind() { return FusionKind.INJECTIVE; }
        public String mnemonic() { return "transpose"; }
        @Override public String attributes() {
            return perm.stream().map(String::valueOf).collect(Collectors.joining(",", "[perm=", "]"));
        }

        /** The permutation that undoes this one. */
        public Transpose inverse() {
            Integer[] inv = new Integer[perm.size()];
            for (int k = 0; k < perm.size(); k++) inv[perm.get(k)] = k;
            return new Transpose(List.of(inv));
        }

        /** Swaps the last two of {@code rank} axes. */
        public static Transpose lastTwo(int rank) {
            List<Integer> p = new ArrayList<>();
            for (int i = 0; i < rank; i++) p.add(i);
            Collections.swap(p, rank - 2, rank - 1);
            return new Transpose(p);
        }

        /** The permutation swapping axes 0 and 1 (batch-major ↔ time-major). */
        public static Transpose firstTwo(int rank) {
            List<Integer> p = new ArrayList<>();
            for (int i = 0; i < rank; i++) p.add(i);
            Collections.swap(p, 0, 1);
            return new Transpose(p);
        }

        @Override public boolean equals(Object other) { return other instanceof Transpose that && Objects.equals(perm, that.perm); }
        @Override public int hashCode() { return Objects.hashCode(perm); }
    }

    /**
     * Elements {@code start[k], start[k] + step[k], …} below {@code stop[k]} along each axis {@code k}
     * (a basic slice: {@code x[1:5]}, {@code x[:, 0:1]}, {@code x[::2]}); an axis with {@code stop[k] = −1}
     * is kept whole (start 0, step 1; the only form for a symbolic axis); an axis with {@code step[k] = 0}
     * is indexed: element {@code start[k]} only, and the axis is dropped ({@code x[:, 0]}). Text:
     * {@code slice[:,1:5:1,0]}. Its adjoint is {@link Pad} (with a reshape back over indexed axes).
     */
    record Slice(List<Long> start, List<Long> stop, List<Long> step) implements Op {
        public Slice {
            start = List.copyOf(start);
            stop = List.copyOf(stop);
            step = List.copyOf(step);
            if (start.size() != stop.size() || start.size() != step.size()) throw new IllegalArgumentException("slice lists differ in length");
            for (int k = 0; k < start.size(); k++)
                if (stop.get(k) == -1 ? start.get(k) != 0 || step.get(k) != 1
                        : start.get(k) < 0 || step.get(k) < 0 || stop.get(k) <= start.get(k) || step.get(k) == 0 && stop.get(k) != start.get(k) + 1)
                    throw new IllegalArgumentException("bad slice " + start.get(k) + ":" + stop.get(k) + ":" + step.get(k));
        }

        /** Whether axis {@code k} is kept whole. */
        public boolean whole(int k) { return stop.get(k) == -1; }

        /** Whether axis {@code k} is indexed (one element, the axis dropped). */
        public boolean indexed(int k) { return step.get(k) == 0; }

        /** Elements kept along a sliced axis {@code k} (1 for an indexed one). */
        public long length(int k) { return indexed(k) ? 1 : (stop.get(k) - start.get(k) + step.get(k) - 1) / step.get(k); }

        /** An index of one element of axis {@code k}, which is dropped. */
        public static Slice index(int rank, int k, long at) {
            List<Long> start = new ArrayList<>(Collections.nCopies(rank, 0L)), stop = new ArrayList<>(Collections.nCopies(rank, -1L)),
                    step = new ArrayList<>(Collections.nCopies(rank, 1L));
            start.set(k, at);
            stop.set(k, at + 1);
            step.set(k, 0L);
            return new Slice(start, stop, step);
        }

        public FusionKind fusionKind() { return FusionKind.INJECTIVE; }
        public String mnemonic() { return "slice"; }
        @Override public String attributes() {
            List<String> axes = new ArrayList<>();
            for (int k = 0; k < start.size(); k++)
                axes.add(whole(k) ? ":" : indexed(k) ? String.valueOf(start.get(k)) : start.get(k) + ":" + stop.get(k) + ":" + step.get(k));
            return "[" + String.join(",", axes) + "]";
        }

        @Override public boolean equals(Object other) {
            return other instanceof Slice that && Objects.equals(start, that.start) && Objects.equals(stop, that.stop)
                    && Objects.equals(step, that.step);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(start);
            result = 31 * result + Objects.hashCode(stop);
            return 31 * result + Objects.hashCode(step);
        }
    }

    /**
     * Zero padding: {@code before[k]} zeros, the input, {@code after[k]} zeros along each axis
     * {@code k} ({@code torch.nn.functional.pad} with zeros). Text: {@code pad[0:0,1:2]}. Its adjoint
     * is {@link Slice}.
     */
    record Pad(List<Long> before, List<Long> after) implements Op {
        public Pad {
            before = List.copyOf(before);
            after = List.copyOf(after);
            if (before.size() != after.size()) throw new IllegalArgumentException("pad lists differ in length");
            for (int k = 0; k < before.size(); k++)
                if (before.get(k) < 0 || after.get(k) < 0) throw new IllegalArgumentException("negative padding on axis " + k);
        }

        public FusionKind fusionKind() { return FusionKind.INJECTIVE; }
        public String mnemonic() { return "pad"; }
        @Override public String attributes() {
            List<String> axes = new ArrayList<>();
            for (int k = 0; k < before.size(); k++) axes.add(before.get(k) + ":" + after.get(k));
            return "[" + String.join(",", axes) + "]";
        }

        @Override public boolean equals(Object other) {
            return other instanceof Pad that && Objects.equals(before, that.before) && Objects.equals(after, that.after);
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(before) + Objects.hashCode(after); }
    }

    /** i32 class indices [..] → f32 one-hot rows [.., classes]. */
    record OneHot(long classes) implements Op {
        public FusionKind fusionKind() { return FusionKind.INJECTIVE; }
        public String mnemonic() { return "one_hot"; }
        @Override public String attributes() { return "[classes=" + classes + "]"; }

        @Override public boolean equals(Object other) { return other instanceof OneHot that && classes == that.classes; }
        @Override public int hashCode() { return Long.hashCode(classes); }
    }

    // ---- loops (scan) ----

    /**
     * Output {@code output} of a loop ({@link ScanBody}): the final value of a carry, or a step
     * result stacked over the steps. Inputs: the carries' initial values, the sequences (stepped
     * along their leading axis), then the body's captures. The outputs of one loop are separate
     * nodes with the same body and inputs; they run as one loop.
     */
    record Scan(ScanBody body, int output) implements Op {
        public FusionKind fusionKind() { return FusionKind.OPAQUE; }
        public String mnemonic() { return "scan"; }
        @Override public String attributes() {
            return "[loop=" + body.loop() + ",out=" + output + ",steps=" + body.length() + (body.reverse() ? ",reverse" : "") + "]";
        }

        @Override public boolean equals(Object other) {
            return other instanceof Scan that && Objects.equals(body, that.body) && output == that.output;
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(body) + output; }
    }

    /** A variable of loop {@code loop}: carry {@code index}, or (when {@code slice}) sequence slice {@code index}. */
    record LoopVar(int loop, boolean slice, int index, TensorType type) implements Op {
        public FusionKind fusionKind() { return FusionKind.LEAF; }
        public String mnemonic() { return slice ? "loop_slice" : "loop_carry"; }
        @Override public String attributes() { return "[loop=" + loop + ",index=" + index + "]"; }

        @Override public boolean equals(Object other) {
            return other instanceof LoopVar that && loop == that.loop && slice == that.slice && index == that.index
                    && Objects.equals(type, that.type);
        }
        @Override public int hashCode() {
            int result = loop;
            result = 31 * result + Boolean.hashCode(slice);
            result = 31 * result + index;
            return 31 * result + Objects.hashCode(type);
        }
    }

    // ---- convolution and pooling ----

    /**
     * Convolution or pooling over NCHW images with a {@code kh × kw} window, strides {@code sh, sw},
     * zero padding {@code ph, pw} (rows, columns), dilation {@code dh, dw} and {@code groups}
     * channel groups (convolutions; pooling has 1, 1, 1); {@code inH × inW} is the image size of the
     * forward input (so the backward ops know the shape they produce). See {@link SpatialFn}.
     */
    record Spatial(SpatialFn fn, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups, int inH, int inW) implements Op {
        public Spatial {
            if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0 || dh < 1 || dw < 1 || groups < 1 || inH < 1 || inW < 1)
                throw new IllegalArgumentException("bad window geometry k=" + kh + "x" + kw + " s=" + sh + "x" + sw + " p=" + ph + "x" + pw
                        + " d=" + dh + "x" + dw + " g=" + groups + " in=" + inH + "x" + inW);
        }

        /** No dilation, one group. */
        public Spatial(SpatialFn fn, int kh, int kw, int sh, int sw, int ph, int pw, int inH, int inW) {
            this(fn, kh, kw, sh, sw, ph, pw, 1, 1, 1, inH, inW);
        }

        /** A square window with the same stride and padding on both axes. */
        public Spatial(SpatialFn fn, int kernel, int stride, int padding, int inH, int inW) {
            this(fn, kernel, kernel, stride, stride, padding, padding, inH, inW);
        }

        public FusionKind fusionKind() { return FusionKind.OPAQUE; }
        public String mnemonic() { return fn.text(); }
        @Override public String attributes() {
            return "[k=" + pair(kh, kw) + ",s=" + pair(sh, sw) + ",p=" + pair(ph, pw) + (dh == 1 && dw == 1 ? "" : ",d=" + pair(dh, dw))
                    + (groups == 1 ? "" : ",g=" + groups) + ",in=" + inH + "x" + inW + "]";
        }

        /** {@code 5} for a square pair, {@code 3x5} otherwise (the IR text's form). */
        public static String pair(int a, int b) { return a == b ? Integer.toString(a) : a + "x" + b; }

        /** Output rows of the forward op. */
        public int outH() { return (inH + 2 * ph - dh * (kh - 1) - 1) / sh + 1; }

        /** Output columns of the forward op. */
        public int outW() { return (inW + 2 * pw - dw * (kw - 1) - 1) / sw + 1; }

        /** The same window for another primitive. */
        public Spatial with(SpatialFn other) { return new Spatial(other, kh, kw, sh, sw, ph, pw, dh, dw, groups, inH, inW); }

        @Override public boolean equals(Object other) {
            return other instanceof Spatial that && Objects.equals(fn, that.fn) && kh == that.kh && kw == that.kw && sh == that.sh
                    && sw == that.sw && ph == that.ph && pw == that.pw && dh == that.dh && dw == that.dw && groups == that.groups
                    && inH == that.inH && inW == that.inW;
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(fn);
            result = 31 * result + kh;
            result = 31 * result + kw;
            result = 31 * result + sh;
            result = 31 * result + sw;
            result = 31 * result + ph;
            result = 31 * result + pw;
            result = 31 * result + dh;
            result = 31 * result + dw;
            result = 31 * result + groups;
            result = 31 * result + inH;
            return 31 * result + inW;
        }
    }

    // ---- row gather and its adjoint ----

    /**
     * Rows of a table picked by indices: inputs {@code (table f32[V, D], indices i32[..])} →
     * {@code f32[.., D]}, {@code out[p, j] = table[indices[p], j]} (an embedding lookup). An index
     * outside {@code 0..V−1} is a run-time error ({@code nnc.runtime.kernels.Gathers.row}).
     */
    record Gather() implements Op {
        public FusionKind fusionKind() { return FusionKind.INJECTIVE; }
        public String mnemonic() { return "gather"; }

        @Override public boolean equals(Object other) { return other instanceof Gather; }
        @Override public int hashCode() { return 0; }
    }

    /**
     * The adjoint of {@link Gather}: inputs {@code (values f32[.., D], indices i32[..])} →
     * {@code f32[rows, D]}, zero except {@code out[indices[p], j] += values[p, j]}, summed over the
     * positions p in increasing (row-major) order, so the result is deterministic.
     */
    record ScatterAdd(long rows) implements Op {
        public FusionKind fusionKind() { return FusionKind.OPAQUE; }
        public String mnemonic() { return "scatter_add"; }
        @Override public String attributes() { return "[rows=" + rows + "]"; }

        @Override public boolean equals(Object other) { return other instanceof ScatterAdd that && rows == that.rows; }
        @Override public int hashCode() { return Long.hashCode(rows); }
    }
}
