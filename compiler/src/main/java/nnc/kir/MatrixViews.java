package nnc.kir;

import java.util.Objects;

/**
 * Where a batched product's matrices lie in its buffers when they are not stored one after another:
 * the q-th matrix of an operand starts at {@code (q / heads)·outer + (q % heads)·inner}, its rows
 * {@code row} elements apart, its columns adjacent ({@code nnc.runtime.kernels.BatchedGemm}'s strided
 * form). Made by the {@code matmul-views} pass ({@code nnc.schedule.MatmulViews}) from the copies
 * that split attention's heads out of {@code [b, t, h, d]} and merge them back: a product then reads
 * and writes the heads in place.
 */
public record MatrixViews(int heads, View a, View b, View out) {
    /** One operand's strides, in elements. */
    public record View(int outer, int inner, int row) {
        @Override public String toString() { return outer + "," + inner + "," + row; }

        // equals and hashCode spelled out, with the values a record's own give: a record's own are linked on first use
        @Override public boolean equals(Object other) {
            return other instanceof View that && outer == that.outer && inner == that.inner && row == that.row;
        }
        @Override public int hashCode() { return 31 * (31 * Integer.hashCode(outer) + Integer.hashCode(inner)) + Integer.hashCode(row); }
    }

    public MatrixViews {
        if (heads < 1) throw new IllegalArgumentException("heads " + heads);
    }

    /** A matrix of {@code rows × cols} stored one after another, {@code heads} to an outer step. */
    public static View dense(int heads, int rows, int cols) { return new View(heads * rows * cols, rows * cols, cols); }

    @Override public boolean equals(Object other) {
        return other instanceof MatrixViews that && heads == that.heads && Objects.equals(a, that.a) && Objects.equals(b, that.b)
                && Objects.equals(out, that.out);
    }
    @Override public int hashCode() {
        int result = Integer.hashCode(heads);
        result = 31 * result + Objects.hashCode(a);
        result = 31 * result + Objects.hashCode(b);
        return 31 * result + Objects.hashCode(out);
    }

    @Override public String toString() { return "heads=" + heads + "; a " + a + "; b " + b + "; out " + out; }
}
