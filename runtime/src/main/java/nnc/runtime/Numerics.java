package nnc.runtime;

import java.util.List;
import java.util.Locale;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import nnc.runtime.train.NonFiniteValueException;

/**
 * Finding NaN and infinities ({@code --check-numerics}): which tensor holds the first one and at
 * which element, and the check that generated trainers run after each kernel in full mode.
 */
public final class Numerics {
    /** How much checking a run does. */
    public enum Mode {
        /** No checks at all: NaN and infinities propagate silently. */
        OFF,
        /**
         * The default, about free: a non-finite loss stops training (naming the step and the first
         * non-finite tensor), parameters and optimiser state are checked after each epoch and before
         * each checkpoint, loaded parameters and checkpoints when read.
         */
        ON,
        /** As {@link #ON}, and every kernel's output is checked after it runs, naming the kernel and its {@code .nn} line. */
        FULL;

        /** {@code off}, {@code on} or {@code full} (any case); null for anything else. */
        public static Mode parse(String s) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(s)) return m;
            return null;
        }

        public String text() { return name().toLowerCase(Locale.ROOT); }
    }

    /** The order tensors are scanned in after a failing step: the data first (a cause), outputs last (an effect). */
    private static final List<Role> SCAN_ORDER = List.of(Role.INPUT, Role.TARGET, Role.PARAM, Role.STATE, Role.OUTPUT);

    private Numerics() {}

    /**
     * The first non-finite f32 element among {@code m}'s tensors of {@code roles} (in the order
     * inputs, targets, parameters, optimiser state, outputs; batch-sized ones over {@code batch}
     * rows), as {@code parameter h.W holds NaN at [3, 7]}; null when every element is finite.
     */
    public static String firstNonFinite(CompiledModel m, int batch, List<Role> roles) {
        for (Role role : SCAN_ORDER) {
            if (!roles.contains(role)) continue;
            for (TensorSpec t : m.info().tensors()) {
                if (t.role() != role || t.dtype() != DType.F32) continue;
                float[] a = m.floats(t.name());
                int from = m.offset(t.name()), n = Math.min(t.elementCount(batch), a.length - from);
                for (int k = 0; k < n; k++)
                    if (!Float.isFinite(a[from + k]))
                        return roleText(role) + " " + t.name() + " holds " + a[from + k] + " at " + index(k, t.dims(), batch);
            }
        }
        return null;
    }

    /** As {@link #firstNonFinite(CompiledModel, int, List)} over every role. */
    public static String firstNonFinite(CompiledModel m, int batch) {
        return firstNonFinite(m, batch, SCAN_ORDER);
    }

    /** The first non-finite element of {@code file}'s f32 tensors, in file order, as {@code tensor h.W holds NaN at [3, 7]}; or null. */
    public static String firstNonFinite(TensorFile file) {
        for (Tensor t : file.tensors().values()) {
            if (!t.isFloat()) continue;
            float[] a = t.f32();
            for (int k = 0; k < a.length; k++) {
                if (Float.isFinite(a[k])) continue;
                int[] dims = new int[t.rank()];
                for (int d = 0; d < dims.length; d++) dims[d] = (int) t.dim(d);
                return "tensor " + t.name() + " holds " + a[k] + " at " + index(k, dims, 1);
            }
        }
        return null;
    }

    /**
     * Full mode: called by generated code after a kernel, for each f32 buffer it writes. The buffer
     * holds {@code rest · batch^batchPower} elements; {@code where} is
     * {@code FILE:LINE: kernel NAME (FORMULA)|BUFFER|d0,d1,…} with {@code -f} for a dimension of
     * {@code f·batch}. Allocates nothing unless it throws.
     *
     * @throws NonFiniteValueException naming the kernel, its line and the first non-finite element
     */
    public static void checkKernel(float[] a, int batch, int batchPower, int rest, String where) {
        long n = rest;
        for (int k = 0; k < batchPower; k++) n *= batch;
        int count = (int) Math.min(n, a.length);
        for (int k = 0; k < count; k++)
            if (!Float.isFinite(a[k])) throw kernelFailure(a[k], k, batch, where);
    }

    private static NonFiniteValueException kernelFailure(float value, int flat, int batch, String where) {
        int last = where.lastIndexOf('|'), second = last < 0 ? -1 : where.lastIndexOf('|', last - 1);
        String head = second < 0 ? where : where.substring(0, second);
        String buffer = second < 0 ? "" : where.substring(second + 1, last);
        String dimText = last < 0 ? "" : where.substring(last + 1);
        String[] ds = dimText.isEmpty() ? new String[0] : dimText.split(",");
        int[] dims = new int[ds.length];
        for (int d = 0; d < ds.length; d++) {
            int v = Integer.parseInt(ds[d]);
            dims[d] = v < 0 ? -v * batch : v;
        }
        boolean named = head.contains("(" + buffer + " = ");
        return new NonFiniteValueException(head + " produced " + value + (named || buffer.isEmpty() ? "" : " in " + buffer)
                + " at " + index(flat, dims, 1));
    }

    /** {@code [i, j, …]}: the row-major index of flat element {@code k} of a tensor of {@code dims} ({@code -1}: batch). */
    public static String index(int k, int[] dims, int batch) {
        if (dims.length == 0) return "[]";
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            int size = dims[d] == TensorSpec.BATCH ? batch : dims[d];
            if (size <= 0) return "[" + k + "]";
            idx[d] = k % size;
            k /= size;
        }
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < idx.length; d++) sb.append(d == 0 ? "" : ", ").append(idx[d]);
        return sb.append(']').toString();
    }

    private static String roleText(Role r) {
        return switch (r) {
            case INPUT -> "input";
            case TARGET -> "target";
            case PARAM -> "parameter";
            case STATE -> "optimiser state";
            case OUTPUT -> "output";
        };
    }
}
