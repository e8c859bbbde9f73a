package nnc.runtime.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/**
 * Copies a model's parameters (and optimiser state) to and from {@link Tensor}s named as in the
 * model ({@code h.W} of shape [in, out}), which is what {@code --save}, checkpoints,
 * {@code nnc eval} and {@code nnc predict} read and write. Loading checks everything first and
 * reports the first problem as a {@link SafeTensorsException} naming the file and the tensor.
 */
public final class ModelTensors {
    private ModelTensors() {}

    /** Copies of every tensor of {@code roles}, in model order, optionally renamed with {@code prefix}. */
    public static List<Tensor> copy(CompiledModel m, Set<Role> roles, String prefix) {
        List<Tensor> out = new ArrayList<>();
        for (TensorSpec s : m.info().tensors()) {
            if (!roles.contains(s.role())) continue;
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

    /** The model's parameters, named as in the model. */
    public static List<Tensor> params(CompiledModel m) { return copy(m, Set.of(Role.PARAM), ""); }

    /**
     * Writes {@code prefix + name} tensors of {@code file} into the model's tensors of {@code roles}.
     * Every such tensor must be in the file with the model's dtype and shape; with {@code strict}, a
     * file tensor under {@code prefix} that the model lacks is an error too.
     */
    public static void load(CompiledModel m, TensorFile file, Set<Role> roles, String prefix, boolean strict) {
        List<TensorSpec> wanted = m.info().tensors().stream().filter(s -> roles.contains(s.role())).toList();
        if (strict) {
            Set<String> known = wanted.stream().map(s -> prefix + s.name()).collect(Collectors.toSet());
            for (String name : file.tensors().keySet()) {
                if (name.startsWith(prefix) && !known.contains(name))
                    throw new SafeTensorsException(file.origin(), "tensor " + name + " is not " + what(roles) + " of model " + m.info().name()
                            + " (" + (wanted.isEmpty() ? "it has no " + kinds(roles)
                            : "its " + kinds(roles) + " are " + wanted.stream().map(s -> prefix + s.name()).collect(Collectors.joining(", "))) + ")");
            }
        }
        for (TensorSpec s : wanted) {
            Tensor t = file.tensors().get(prefix + s.name());
            String theirs = "the model's " + s.name() + " is " + s.typeText();
            if (t == null) throw new SafeTensorsException(file.origin(), "tensor " + prefix + s.name() + " is missing (" + theirs + ")");
            if (t.isFloat() != (s.dtype() == DType.F32))
                throw new SafeTensorsException(file.origin(), "tensor " + t.name() + " is " + (t.isFloat() ? "f32" : "i32") + ", " + theirs);
            boolean same = t.rank() == s.rank();
            for (int i = 0; same && i < s.rank(); i++) same = t.dim(i) == s.dim(i);
            if (!same) throw new SafeTensorsException(file.origin(), "tensor " + t.name() + " has shape " + t.shapeText() + ", " + theirs);
        }
        for (TensorSpec s : wanted) {
            Tensor t = file.tensors().get(prefix + s.name());
            if (t.isFloat()) System.arraycopy(t.f32(), 0, m.floats(s.name()), m.offset(s.name()), t.elementCount());
            else System.arraycopy(t.i32(), 0, m.ints(s.name()), m.offset(s.name()), t.elementCount());
        }
    }

    /** "parameters", "parameters and optimiser state tensors": what {@link #what} names, in the plural. */
    private static String kinds(Set<Role> roles) {
        return roles.equals(Set.of(Role.PARAM)) ? "parameters" : "parameters and optimiser state tensors";
    }

    private static String what(Set<Role> roles) {
        return roles.equals(Set.of(Role.PARAM)) ? "a parameter" : "a parameter or optimiser state";
    }
}
