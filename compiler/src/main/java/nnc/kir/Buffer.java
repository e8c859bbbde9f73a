package nnc.kir;

import java.util.Objects;
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

    // equals and hashCode spelled out, with the values a record's own give (hash = 31 * hash + component's,
    // from 0): a record's own are linked on first use, ~0.7 ms each, a good part of a cold compile.
    @Override public boolean equals(Object other) {
        return other instanceof Buffer that && id == that.id && Objects.equals(name, that.name) && Objects.equals(dtype, that.dtype)
                && Objects.equals(shape, that.shape) && Objects.equals(role, that.role);
    }
    @Override public int hashCode() {
        int result = id;
        result = 31 * result + Objects.hashCode(name);
        result = 31 * result + Objects.hashCode(dtype);
        result = 31 * result + Objects.hashCode(shape);
        return 31 * result + Objects.hashCode(role);
    }
}
