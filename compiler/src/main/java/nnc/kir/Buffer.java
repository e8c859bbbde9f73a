package nnc.kir;

import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.types.Shape;

/**
 * A storage slot of the Kernel IR. Buffers with a role are the model's named tensors (inputs,
 * targets, params, state, outputs); {@code role == null} marks an intermediate ({@code t12}).
 * Sized for the maximum batch; a step of {@code batch} rows uses the row-major prefix.
 */
public record Buffer(int id, String name, DType dtype, Shape shape, Role role) {
    public boolean isTemp() { return role == null; }

    /** {@code b3} — the name emitters give the buffer's local variable or parameter. */
    public String var() { return "b" + id; }

    @Override public String toString() { return var() + "(" + name + ": " + dtype.text() + shape + ")"; }
}
