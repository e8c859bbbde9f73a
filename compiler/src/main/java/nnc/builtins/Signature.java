package nnc.builtins;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of a builtin: tensors first, then options (constants: numbers or names).
 *
 * @param tensors  tensor arguments, in order
 * @param options  constant arguments after them (numbers or names), in order
 * @param required the options that must be given
 * @param optionalTensors tensor arguments that may be left out (a type rule sees their type as null, a lowering their node as null)
 */
public record Signature(List<String> tensors, List<String> options, List<String> required, List<String> optionalTensors) {
    /** Every tensor argument required. */
    public Signature(List<String> tensors, List<String> options, List<String> required) { this(tensors, options, required, List.of()); }

    /** Tensors {@code t0 … t(max−1)}, the first {@code min} required (as in {@code concat(a, b, c, axis = 1)}), then options. */
    static Signature variadic(int min, int max, List<String> options, List<String> required) {
        List<String> tensors = new ArrayList<>();
        for (int i = 0; i < max; i++) tensors.add("t" + i);
        return new Signature(tensors, options, required, tensors.subList(min, max));
    }

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
        if (optionalTensors.size() > 1 && optionalTensors.get(0).equals("t1"))
            return name + "(t0, t1, ...) with at most " + tensors.size() + " tensors" + options.stream().map(o -> ", " + o + " = ...").reduce("", String::concat);
        List<String> parts = new ArrayList<>(tensors);
        for (String o : options) parts.add(required.contains(o) ? o : o + " = ...");
        return name + "(" + String.join(", ", parts) + ")";
    }
}
