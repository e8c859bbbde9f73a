package nnc.runtime.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.parallel.SplitEntries;

/**
 * Copies a model's parameters, inference state and optimiser state to and from {@link Tensor}s
 * named as in the model ({@code h.W} of shape [in, out]), which is what {@code --save},
 * checkpoints, {@code nnc eval} and {@code nnc predict} read and write. Loading checks everything
 * first and reports the first problem as a {@link SafeTensorsException} naming the file and the tensor.
 */
public final class ModelTensors {
    private ModelTensors() {}

    /** Copies of every tensor of {@code roles}, in model order, optionally renamed with {@code prefix}. */
    public static List<Tensor> copy(CompiledModel m, Set<Role> roles, String prefix) {
        return copy(m, ofRoles(m, roles), prefix);
    }

    /**
     * The model's tensors of {@code roles}, in model order, without a split model's exchange state
     * ({@link SplitEntries#isExchange}): scratch between its two entries, not part of a run's state,
     * so a checkpoint of a data-parallel run resumes on one machine and the other way round.
     */
    public static List<TensorSpec> ofRoles(CompiledModel m, Set<Role> roles) {
        return m.info().tensors().stream().filter(s -> roles.contains(s.role()) && !SplitEntries.isExchange(s.name())).toList();
    }

    /** The model's parameters, named as in the model. */
    public static List<Tensor> params(CompiledModel m) { return copy(m, Set.of(Role.PARAM), ""); }

    /**
     * The trained model ({@link ModelInfo#trained()}): its parameters and the state evaluate and
     * predict read (batch norm's {@code NAME.running_mean}, {@code NAME.running_var},
     * {@code NAME.updates}); what {@code --save} writes and early stopping keeps.
     */
    public static List<Tensor> trained(CompiledModel m) { return copy(m, m.info().trained(), ""); }

    /**
     * Writes {@code prefix + name} tensors of {@code file} into the model's tensors of {@code roles}.
     * Every such tensor must be in the file with the model's dtype and shape; with {@code strict}, a
     * file tensor under {@code prefix} that the model lacks is an error too.
     */
    public static void load(CompiledModel m, TensorFile file, Set<Role> roles, String prefix, boolean strict) {
        List<TensorSpec> wanted = ofRoles(m, roles);
        String kinds = roles.equals(Set.of(Role.PARAM)) ? "parameters" : "parameters and state tensors";
        if (strict) checkKnown(m, file, wanted, prefix, kinds);
        checkTypes(file, wanted, prefix, true);
        copyIn(m, file, wanted, prefix);
    }

    /**
     * Writes a trained model ({@link #trained}, names under {@code prefix}) from {@code file} into
     * the model: every parameter must be there, and a file tensor that is neither a parameter nor
     * inference state is an error. Inference state the file lacks (a file written by an nnc that
     * saved parameters only) keeps its value; its names are returned.
     */
    public static List<String> loadTrained(CompiledModel m, TensorFile file, String prefix) {
        ModelInfo info = m.info();
        List<TensorSpec> trained = info.trained();
        checkKnown(m, file, trained, prefix, info.inferenceState().isEmpty() ? "parameters" : "parameters and inference state tensors");
        checkTypes(file, info.withRole(Role.PARAM), prefix, true);
        checkTypes(file, info.inferenceState(), prefix, false);
        List<TensorSpec> present = trained.stream().filter(s -> file.tensors().containsKey(prefix + s.name())).toList();
        copyIn(m, file, present, prefix);
        return info.inferenceState().stream().filter(s -> !present.contains(s)).map(s -> prefix + s.name()).toList();
    }

    /** Copies of the tensors called {@code names}, in that order, named as in the model. */
    public static List<Tensor> copy(CompiledModel m, List<String> names) {
        return copy(m, names.stream().map(m.info()::get).toList(), "");
    }

    private static List<Tensor> copy(CompiledModel m, List<TensorSpec> specs, String prefix) {
        List<Tensor> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            if (s.hasBatch()) throw new IllegalArgumentException(s.name() + " has a batch dimension; only fixed-size tensors are saved");
            int n = s.elementCount(1);
            long[] shape = Arrays.stream(s.dims()).asLongStream().toArray();
            if (s.dtype() == DType.F32) {
                float[] data = Arrays.copyOfRange(m.floats(s.name()), m.offset(s.name()), m.offset(s.name()) + n);
                out.add(Tensor.f32(prefix + s.name(), shape, data));
            } else {
                int[] data = Arrays.copyOfRange(m.ints(s.name()), m.offset(s.name()), m.offset(s.name()) + n);
                out.add(Tensor.i32(prefix + s.name(), shape, data));
            }
        }
        return out;
    }

    /** Every file tensor under {@code prefix} is one of {@code wanted} ({@code kinds} names them in the plural). */
    private static void checkKnown(CompiledModel m, TensorFile file, List<TensorSpec> wanted, String prefix, String kinds) {
        Set<String> known = wanted.stream().map(s -> prefix + s.name()).collect(Collectors.toSet());
        for (String name : file.tensors().keySet()) {
            if (name.startsWith(prefix) && !known.contains(name))
                throw new SafeTensorsException(file.origin(), "tensor " + name + " is not " + singular(kinds) + " of model " + m.info().name()
                        + " (" + (wanted.isEmpty() ? "it has no " + kinds
                        : "its " + kinds + " are " + wanted.stream().map(s -> prefix + s.name()).collect(Collectors.joining(", "))) + ")");
        }
    }

    /** "a parameter or state tensor" for "parameters and state tensors". */
    private static String singular(String kinds) {
        String one = kinds.replace(" and ", " or ").replace("parameters", "parameter").replace("tensors", "tensor");
        return (one.matches("[aeiou].*") ? "an " : "a ") + one;
    }

    /** Each of {@code specs} in the file has the model's dtype and shape; with {@code required}, each is there. */
    private static void checkTypes(TensorFile file, List<TensorSpec> specs, String prefix, boolean required) {
        for (TensorSpec s : specs) {
            Tensor t = file.tensors().get(prefix + s.name());
            String theirs = "the model's " + s.name() + " is " + s.typeText();
            if (t == null && !required) continue;
            if (t == null) throw new SafeTensorsException(file.origin(), "tensor " + prefix + s.name() + " is missing (" + theirs + ")");
            if (t.isFloat() != (s.dtype() == DType.F32))
                throw new SafeTensorsException(file.origin(), "tensor " + t.name() + " is " + (t.isFloat() ? "f32" : "i32") + ", " + theirs);
            boolean same = t.rank() == s.rank();
            for (int i = 0; same && i < s.rank(); i++) same = t.dim(i) == s.dim(i);
            if (!same) throw new SafeTensorsException(file.origin(), "tensor " + t.name() + " has shape " + t.shapeText() + ", " + theirs);
        }
    }

    private static void copyIn(CompiledModel m, TensorFile file, List<TensorSpec> specs, String prefix) {
        for (TensorSpec s : specs) {
            Tensor t = file.tensors().get(prefix + s.name());
            if (t.isFloat()) System.arraycopy(t.f32(), 0, m.floats(s.name()), m.offset(s.name()), t.elementCount());
            else System.arraycopy(t.i32(), 0, m.ints(s.name()), m.offset(s.name()), t.elementCount());
        }
    }
}
