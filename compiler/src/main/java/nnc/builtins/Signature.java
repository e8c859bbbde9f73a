package nnc.builtins;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of a builtin: tensors first, then options (constants: numbers or names).
 *
 * @param tensors  tensor arguments, in order
 * @param options  constant arguments after them (numbers or names), in order
 * @param required the options that must be given
 * @param optionalTensors the tensor arguments that may be left out (the last ones of {@code tensors})
 */
public record Signature(List<String> tensors, List<String> options, List<String> required, List<String> optionalTensors) {
    /** Every tensor argument required. */
    public Signature(List<String> tensors, List<String> options, List<String> required) { this(tensors, options, required, List.of()); }

    /** Tensor arguments only. */
    static Signature tensors(String... names) { return new Signature(List.of(names), List.of(), List.of()); }

    /** Every argument slot, tensors then options. */
    public List<String> slots() {
        List<String> all = new ArrayList<>(tensors);
        all.addAll(options);
        return all;
    }

    /** The usage line of builtin {@code name} in messages: {@code dense(x, units)}. */
    public String usage(String name) {
        if (name.equals("reshape")) return "reshape(x, d0, d1, ...) with at most " + ShapeBuiltins.MAX_RESHAPE_DIMS + " dimensions";
        List<String> parts = new ArrayList<>(tensors);
        for (String t : optionalTensors) parts.set(parts.indexOf(t), "[" + t + "]");
        for (String o : options) parts.add(required.contains(o) ? o : o + " = ...");
        return name + "(" + String.join(", ", parts) + ")";
    }
}
