package nnc.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;

/**
 * Checks tensors read from files against a model's {@link ModelInfo} before they are copied into
 * it: every name known, every dtype and shape as declared, inputs and targets agreeing on one batch
 * size, class indices within range. It collects every problem and reports them together in one
 * {@link UserError}, each line naming the file and the tensor, e.g.
 * {@code p.safetensors: error: tensor h.W has shape [3, 2], the model's h.W is f32[2,3]}.
 */
final class TensorFileValidator {
    private final ModelInfo info;
    private final Map<String, Integer> classCounts;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param classCounts for i32 inputs and targets used as class indices: the number of classes
     */
    TensorFileValidator(ModelInfo info, Map<String, Integer> classCounts) {
        this.info = info;
        this.classCounts = classCounts;
    }

    /**
     * Checks a file of parameters: each tensor must be a parameter or inference state (batch norm's
     * running statistics, as {@code --save} writes them) of the model, shaped as declared.
     */
    void checkParams(TensorFile file) {
        for (Tensor t : file.tensors().values()) {
            Optional<TensorSpec> spec = info.find(t.name()).filter(s -> s.role() == Role.PARAM || s.inferenceState());
            if (spec.isEmpty()) {
                problems.add(file.origin() + ": error: " + unknown(t.name(), Role.PARAM));
                continue;
            }
            checkType(file, t, spec.get(), 0);
        }
    }

    /**
     * Checks a batch: every input and target of the model present, shaped as declared with one
     * batch size for all. Returns that batch size (1 when no tensor has a batch dimension).
     */
    int checkBatch(TensorFile file) {
        List<TensorSpec> wanted = new ArrayList<>(info.withRole(Role.INPUT));
        wanted.addAll(info.withRole(Role.TARGET));
        for (Tensor t : file.tensors().values())
            if (wanted.stream().noneMatch(s -> s.name().equals(t.name()))) problems.add(file.origin() + ": error: " + unknown(t.name(), Role.INPUT));
        int batch = -1;
        String batchFrom = null;
        for (TensorSpec spec : wanted) {
            Tensor t = file.tensors().get(spec.name());
            if (t == null) {
                problems.add(file.origin() + ": error: missing " + roleWord(spec.role()) + " " + spec.name() + " (" + spec.typeText() + ")");
                continue;
            }
            int rows = batchOf(t, spec);
            if (rows >= 0 && batch < 0) {
                batch = rows;
                batchFrom = t.name();
                if (rows == 0) problems.add(file.origin() + ": error: tensor " + t.name() + " has 0 rows; a batch needs at least one");
            } else if (rows >= 0 && rows != batch) {
                problems.add(file.origin() + ": error: tensor " + t.name() + " has " + rows + " rows, " + batchFrom + " has " + batch
                        + " (inputs and targets must agree on the batch size)");
                continue;
            }
            if (checkType(file, t, spec, Math.max(batch, 0))) checkClassIndices(file, t);
        }
        return Math.max(batch, 1);
    }

    /** Throws a {@link UserError} listing every problem found so far, if there is any. */
    void throwIfProblems() {
        if (!problems.isEmpty()) throw new UserError(String.join("\n", problems));
    }

    /** The size of {@code t} along the batch axis of {@code spec}, or -1 when there is none or ranks differ. */
    private static int batchOf(Tensor t, TensorSpec spec) {
        if (t.rank() != spec.rank()) return -1;
        for (int axis = 0; axis < spec.rank(); axis++)
            if (spec.dim(axis) == TensorSpec.BATCH) return (int) Math.min(t.dim(axis), Integer.MAX_VALUE);
        return -1;
    }

    /** Dtype and shape (with {@code batch} for the batch dimension); true when both match. */
    private boolean checkType(TensorFile file, Tensor t, TensorSpec spec, int batch) {
        String theirs = "the model's " + spec.name() + " is " + spec.typeText();
        boolean wantFloat = spec.dtype() == DType.F32;
        if (t.isFloat() != wantFloat) {
            problems.add(file.origin() + ": error: tensor " + t.name() + " is " + (t.isFloat() ? "f32" : "i32") + ", " + theirs);
            return false;
        }
        boolean same = t.rank() == spec.rank();
        for (int axis = 0; same && axis < spec.rank(); axis++)
            same = t.dim(axis) == (spec.dim(axis) == TensorSpec.BATCH ? batch : spec.dim(axis));
        if (!same) problems.add(file.origin() + ": error: tensor " + t.name() + " has shape " + t.shapeText() + ", " + theirs);
        return same;
    }

    private void checkClassIndices(TensorFile file, Tensor t) {
        Integer classes = classCounts.get(t.name());
        if (classes == null || t.isFloat()) return;
        int[] v = t.i32();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= classes) {
                problems.add(file.origin() + ": error: " + roleWord(info.get(t.name()).role()) + " " + t.name() + " holds " + v[i]
                        + " at index " + i + ", not a class index of the model (0.." + (classes - 1) + ")");
                return;
            }
        }
    }

    /** Why {@code name} does not belong in a file of {@code expected} tensors, with what does. */
    private String unknown(String name, Role expected) {
        Optional<TensorSpec> other = info.find(name);
        boolean wantParams = expected == Role.PARAM;
        if (other.isPresent() && other.get().role() != Role.OUTPUT && other.get().role() != Role.STATE)
            return "tensor " + name + " is " + article(roleWord(other.get().role())) + " of model " + info.name() + ", not "
                    + (wantParams ? "a parameter" : "an input or target");
        List<TensorSpec> expectedSpecs = wantParams ? info.withRole(Role.PARAM)
                : info.tensors().stream().filter(s -> s.role() == Role.INPUT || s.role() == Role.TARGET).toList();
        String list = expectedSpecs.stream().map(s -> s.name() + " (" + s.typeText() + ")").collect(Collectors.joining(", "));
        return "unknown tensor " + name + "; model " + info.name() + "'s " + (wantParams ? "parameters are " : "inputs and targets are ")
                + (list.isEmpty() ? "none" : list);
    }

    private static String roleWord(Role role) {
        return switch (role) {
            case INPUT -> "input";
            case TARGET -> "target";
            case PARAM -> "parameter";
            case STATE -> "state tensor";
            case OUTPUT -> "output";
        };
    }

    private static String article(String word) { return (word.matches("[aeiou].*") ? "an " : "a ") + word; }
}
