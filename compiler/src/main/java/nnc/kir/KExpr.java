package nnc.kir;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.types.Shape;
import nnc.types.Size;

/**
 * The scalar expression a kernel evaluates at each point {@code (i0, …, i(r-1))} of its domain.
 * Exact semantics, identical in every back end (all arithmetic in f32; Java float semantics): a
 * {@link Unary} or {@link Binary} computes its function's {@link UnaryFn#apply}/{@link BinaryFn#apply}
 * (the runtime's {@code ScalarMath} or a JVM operator, as the function's {@link UnaryFn#scalar} says).
 */
public sealed interface KExpr {
    /**
     * Every load of {@code e} in evaluation order, each once (an equal load read again is not
     * repeated): the index loads of one-hot terms and both loads of gathers included.
     */
    static List<Load> loads(KExpr e) {
        Set<Load> out = new LinkedHashSet<>();
        collectLoads(e, out);
        return List.copyOf(out);
    }

    private static void collectLoads(KExpr e, Set<Load> out) {
        if (e instanceof Load l) {
            out.add(l);
        } else if (e instanceof Unary u) {
            collectLoads(u.x(), out);
        } else if (e instanceof Binary b) {
            collectLoads(b.a(), out);
            collectLoads(b.b(), out);
        } else if (e instanceof Select s) {
            collectLoads(s.cond(), out);
            collectLoads(s.a(), out);
            collectLoads(s.b(), out);
        } else if (e instanceof OneHot o) {
            out.add(o.indices());
        } else if (e instanceof Gather g) {
            out.add(g.indices());
            out.add(g.table());
        } else if (!(e instanceof Const || e instanceof DimSize || e instanceof Index)) {
            throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
        }
    }

    /**
     * Element {@code buffer[Σ offset + Σ i_k · strides[k]]}; one stride per domain axis, 0 on broadcast
     * axes; {@code offset} (a sum of terms, empty for 0) is where a slice starts (negative for a padded read). Strides and offsets
     * are sizes such as {@code 784} or {@code batch}, evaluated with the step's batch. A
     * {@code guarded} load (a padded tensor's) is inside its buffer only where the select around it
     * chooses it, so it is never evaluated elsewhere: a kernel holding one stays scalar.
     */
    record Load(Buffer buffer, List<Size> strides, List<Size> offset, boolean guarded) implements KExpr {
        public Load {
            strides = List.copyOf(strides);
            offset = List.copyOf(offset);
            if (offset.stream().anyMatch(Size::isZero)) throw new IllegalArgumentException("zero offset term in " + offset);
        }

        public Load(Buffer buffer, List<Size> strides) { this(buffer, strides, List.of(), false); }

        /** True when this load reads element {@code flatIndex} at each point (same shape as the domain). */
        public boolean isContiguousFor(Shape domain) { return offset.isEmpty() && !guarded && strides.equals(domain.strides()); }

        @Override public String toString() {
            return buffer.var() + strides.stream().map(Size::toString).collect(Collectors.joining(",", "[", "]"))
                    + offset.stream().map(o -> (o.constant() < 0 ? "" : "+") + o).collect(Collectors.joining()) + (guarded ? "?" : "");
        }

        // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
        // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
        @Override public boolean equals(Object other) {
            return other instanceof Load that && Objects.equals(buffer, that.buffer) && Objects.equals(strides, that.strides)
                    && Objects.equals(offset, that.offset) && guarded == that.guarded;
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(buffer);
            result = 31 * result + Objects.hashCode(strides);
            result = 31 * result + Objects.hashCode(offset);
            return 31 * result + Boolean.hashCode(guarded);
        }
    }

    record Const(float value) implements KExpr {
        @Override public String toString() { return value + "f"; }

        @Override public boolean equals(Object other) { return other instanceof Const that && Float.compare(value, that.value) == 0; }
        @Override public int hashCode() { return Float.hashCode(value); }
    }

    /** {@code (float) batch}: the step's size of a symbolic dimension. */
    record DimSize(String symbol) implements KExpr {
        @Override public String toString() { return "(float)" + symbol; }

        @Override public boolean equals(Object other) { return other instanceof DimSize that && Objects.equals(symbol, that.symbol); }
        @Override public int hashCode() { return Objects.hashCode(symbol); }
    }

    /** {@code (float) i_axis}: the loop index along domain axis {@code axis} (exact below 2^24). */
    record Index(int axis) implements KExpr {
        @Override public String toString() { return "(float)i" + axis; }

        @Override public boolean equals(Object other) { return other instanceof Index that && axis == that.axis; }
        @Override public int hashCode() { return axis; }
    }

    record Unary(UnaryFn fn, KExpr x) implements KExpr {
        @Override public String toString() { return fn.text() + "(" + x + ")"; }

        @Override public boolean equals(Object other) {
            return other instanceof Unary that && Objects.equals(fn, that.fn) && Objects.equals(x, that.x);
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(fn) + Objects.hashCode(x); }
    }

    record Binary(BinaryFn fn, KExpr a, KExpr b) implements KExpr {
        @Override public String toString() { return fn.text() + "(" + a + ", " + b + ")"; }

        @Override public boolean equals(Object other) {
            return other instanceof Binary that && Objects.equals(fn, that.fn) && Objects.equals(a, that.a) && Objects.equals(b, that.b);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(fn);
            result = 31 * result + Objects.hashCode(a);
            return 31 * result + Objects.hashCode(b);
        }
    }

    /** {@code cond != 0f ? a : b}: only the chosen branch is evaluated. */
    record Select(KExpr cond, KExpr a, KExpr b) implements KExpr {
        @Override public String toString() { return "select(" + cond + ", " + a + ", " + b + ")"; }

        @Override public boolean equals(Object other) {
            return other instanceof Select that && Objects.equals(cond, that.cond) && Objects.equals(a, that.a) && Objects.equals(b, that.b);
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(cond);
            result = 31 * result + Objects.hashCode(a);
            return 31 * result + Objects.hashCode(b);
        }
    }

    /**
     * {@code indices[...] == i_axis ? 1f : 0f}: a one-hot row from an i32 index buffer, whose load
     * has stride 0 on {@code axis}.
     */
    record OneHot(Load indices, int axis) implements KExpr {
        @Override public String toString() { return "one_hot(" + indices + " == i" + axis + ")"; }

        @Override public boolean equals(Object other) {
            return other instanceof OneHot that && Objects.equals(indices, that.indices) && axis == that.axis;
        }
        @Override public int hashCode() { return 31 * Objects.hashCode(indices) + axis; }
    }

    /**
     * {@code table.buffer[Gathers.row(indices, rows) · rowStride + Σ i_k · table.strides[k]]}: an element
     * of the table row an i32 index picks (gather, e.g. an embedding lookup). {@code indices} loads
     * from an i32 buffer; {@code table}'s strides walk the columns of the row (1 on the last domain
     * axis, 0 elsewhere); {@code nnc.runtime.kernels.Gathers.row} rejects an index outside
     * {@code 0..rows−1}, so no other memory is read.
     */
    record Gather(Load indices, Load table, int rows, int rowStride) implements KExpr {
        @Override public String toString() { return "gather(" + table + ", " + indices + ")"; }

        @Override public boolean equals(Object other) {
            return other instanceof Gather that && Objects.equals(indices, that.indices) && Objects.equals(table, that.table)
                    && rows == that.rows && rowStride == that.rowStride;
        }
        @Override public int hashCode() {
            int result = Objects.hashCode(indices);
            result = 31 * result + Objects.hashCode(table);
            result = 31 * result + rows;
            return 31 * result + rowStride;
        }
    }
}
