package nnc.runtime.api;

import java.util.Objects;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.TensorSpec;

/**
 * A named tensor of a model seen as rows: along its first dimension (the batch for inputs,
 * targets and outputs, whose rows are {@code maxBatch}), each row the rest of the dimensions
 * flattened row-major; a scalar is one row of one value. Reads and writes go to the model's
 * own buffer, bounds-checked (a buffer may share its array with others).
 */
public abstract sealed class TensorView permits FloatTensor, IntTensor {
    final CompiledModel model;
    final TensorSpec spec;
    final int offset;
    final int rows;
    final int rowSize;

    TensorView(CompiledModel model, String name, DType dtype) {
        this.model = Objects.requireNonNull(model);
        this.spec = model.info().get(name);
        if (spec.dtype() != dtype) throw new IllegalArgumentException(name + " is " + spec.typeText() + ", not " + dtype.text());
        this.offset = model.offset(name);
        if (spec.rank() == 0) {
            rows = 1;
            rowSize = 1;
        } else {
            rows = spec.dim(0) == TensorSpec.BATCH ? model.maxBatch() : spec.dim(0);
            int size = 1;
            for (int i = 1; i < spec.rank(); i++) size *= spec.dim(i) == TensorSpec.BATCH ? model.maxBatch() : spec.dim(i);
            rowSize = size;
        }
    }

    /** The tensor's name, role, dtype and shape ({@code batch} for the batch dimension). */
    public final TensorSpec spec() { return spec; }

    /** Rows: the first dimension ({@code maxBatch} for a batch dimension), 1 for a scalar. */
    public final int rows() { return rows; }

    /** Values per row: the product of the other dimensions. */
    public final int rowSize() { return rowSize; }

    /** Values in all: {@code rows() * rowSize()}. */
    public final int size() { return rows * rowSize; }

    /** Where value {@code (row, col)} is in the model's array. */
    final int index(int row, int col) {
        if (row < 0 || row >= rows || col < 0 || col >= rowSize)
            throw new IndexOutOfBoundsException(spec.name() + " " + spec.typeText() + " has " + rows + " rows of " + rowSize
                    + " values; (" + row + ", " + col + ") is outside");
        return offset + row * rowSize + col;
    }

    /** Checks that {@code n} rows from {@code first} exist and {@code width} is the row size. */
    final void checkRows(int first, int n, int width) {
        if (first < 0 || n < 0 || first + n > rows)
            throw new IndexOutOfBoundsException(spec.name() + " " + spec.typeText() + " has " + rows + " rows; rows " + first + ".." + (first + n - 1) + " are outside");
        if (width != rowSize)
            throw new IllegalArgumentException(spec.name() + " " + spec.typeText() + " has rows of " + rowSize + " values, not " + width);
    }

    @Override public String toString() { return spec.toString(); }
}
