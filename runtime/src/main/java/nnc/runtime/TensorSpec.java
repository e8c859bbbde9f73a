package nnc.runtime;

import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A named tensor of a compiled model. {@code dims} holds fixed sizes, or {@link #BATCH} for the
 * symbolic batch dimension. {@code init} is set for parameters (and state drawn like one, dropout's
 * seed).
 *
 * @param inferenceState for {@link Role#STATE} only: the state is read by the evaluate or predict
 *                       entry (batch norm's running statistics), so it belongs to the trained model
 *                       and is saved with the parameters; false for optimiser state (moments, step
 *                       counters) and other state only the train step reads
 */
public record TensorSpec(String name, Role role, DType dtype, int[] dims, Init init, boolean inferenceState) {
    public static final int BATCH = -1;

    public TensorSpec {
        dims = dims.clone();
        if (inferenceState && role != Role.STATE)
            throw new IllegalArgumentException(name + " is a " + role + " tensor; only state can be inference state");
    }

    /** A tensor that is not inference state. */
    public TensorSpec(String name, Role role, DType dtype, int[] dims, Init init) {
        this(name, role, dtype, dims, init, false);
    }

    @Override public int[] dims() { return dims.clone(); }

    public int rank() { return dims.length; }

    public int dim(int axis) { return dims[axis]; }

    /** Number of elements when the batch dimension is {@code batch}; a {@link LimitException} when one array cannot hold them. */
    public int elementCount(int batch) {
        long n = elements(batch);
        if (n > Limits.MAX_ARRAY_LENGTH)
            throw new LimitException(name + " " + typeText() + " holds " + Limits.count(n) + " values at batch " + Limits.count(batch)
                    + ", more than one Java array holds (" + Limits.count(Limits.MAX_ARRAY_LENGTH) + ")");
        return (int) n;
    }

    /** Number of elements when the batch dimension is {@code batch}, saturating at {@code Long.MAX_VALUE}. */
    public long elements(long batch) {
        long n = 1;
        for (int d : dims) n = Limits.product(n, d == BATCH ? batch : d);
        return n;
    }

    /** Elements per batch row (product of the non-batch dimensions). */
    public int rowSize() {
        int n = 1;
        for (int d : dims) if (d != BATCH) n *= d;
        return n;
    }

    public boolean hasBatch() {
        for (int d : dims) if (d == BATCH) return true;
        return false;
    }

    /** {@code f32[batch,3]} */
    public String typeText() {
        StringJoiner j = new StringJoiner(",", dtype.text() + "[", "]");
        for (int d : dims) j.add(d == BATCH ? "batch" : Integer.toString(d));
        return j.toString();
    }

    @Override public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && role == t.role && dtype == t.dtype
                && Arrays.equals(dims, t.dims) && Objects.equals(init, t.init) && inferenceState == t.inferenceState;
    }

    @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(dims); }

    @Override public String toString() { return role + " " + name + ": " + typeText(); }
}
