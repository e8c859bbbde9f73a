package nnc.kir;

import java.util.List;
import nnc.ir.ReduceFn;
import nnc.types.Dim;
import nnc.types.Shape;

/** One loop nest or library call of a step. Kernels of an entry run in list order. */
public sealed interface Kernel {
    /** Output buffer. */
    Buffer out();

    /**
     * {@code out[flat(i)] = value(i)} for every point {@code i} of {@code domain} in row-major
     * order; {@code out} has the domain's shape.
     */
    record Pointwise(Shape domain, Buffer out, KExpr value) implements Kernel {}

    /**
     * For every point of {@code domain}, folds {@code value(i)} into {@code out} at the point with
     * the {@code axes} removed (row-major). Each output element folds its points in increasing
     * row-major order, starting from 0 (SUM) or -∞ (MAX).
     */
    record Reduce(Shape domain, List<Integer> axes, ReduceFn fn, Buffer out, KExpr value) implements Kernel {
        public Reduce { axes = List.copyOf(axes); }
    }

    /**
     * {@code out = op(a) · op(b)} through {@code nnc.runtime.kernels.Gemm.matmul(transA, transB,
     * m, n, k, a, 0, b, 0, out, 0)}; m, n, k are evaluated with the step's batch. With an
     * {@code epilogue} (null when none), the product is then replaced element by element, exactly as
     * {@link #epilogueKernel()} (a pointwise kernel over {@code [m, n]} that reads the product as
     * {@code out} at the same element): bias, activation, or an activation's derivative.
     */
    record MatMul(Buffer a, Buffer b, Buffer out, boolean transA, boolean transB, Dim m, Dim n, Dim k, KExpr epilogue) implements Kernel {
        /** A plain product. */
        public MatMul(Buffer a, Buffer b, Buffer out, boolean transA, boolean transB, Dim m, Dim n, Dim k) {
            this(a, b, out, transA, transB, m, n, k, null);
        }

        /** The epilogue as the pointwise kernel that runs right after the product; null when none. */
        public Pointwise epilogueKernel() { return epilogue == null ? null : new Pointwise(Shape.of(m, n), out, epilogue); }
    }
}
