package nnc.builtins;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of a builtin: tensors first, then options (constants: numbers or names), then any
 * optional tensors placed after the options.
 *
 * @param tensors  tensor arguments, in order
 * @param options  constant arguments after them (numbers or names), in order
 * @param required the options that must be given
 * @param optional the tensor arguments that may be left out (the last ones), each with the bare names
 *                 it also accepts in place of a tensor ({@code mask = causal}), which are then
 *                 recorded as an option of the same name
 * @param afterOptions optional tensor arguments whose place among the slots is after the options
 *                 ({@code lstm(x, units, mask = m)}: the options keep their positions), in practice named
 */
public record Signature(List<String> tensors, List<String> options, List<String> required, Map<String, Set<String>> optional,
                        Set<String> afterOptions) {
    public Signature {
        optional = Map.copyOf(optional);
        afterOptions = Set.copyOf(afterOptions);
        for (int i = 0; i < tensors.size() - 1; i++)
            if (optional.containsKey(tensors.get(i)) && !optional.containsKey(tensors.get(i + 1)))
                throw new IllegalArgumentException("optional tensor arguments come last: " + tensors);
        if (!optional.keySet().containsAll(afterOptions))
            throw new IllegalArgumentException("only optional tensor arguments come after the options: " + afterOptions);
    }

    public Signature(List<String> tensors, List<String> options, List<String> required, Map<String, Set<String>> optional) {
        this(tensors, options, required, optional, Set.of());
    }

    /** Every tensor argument required. */
    public Signature(List<String> tensors, List<String> options, List<String> required) { this(tensors, options, required, Map.of()); }

    /** Whether tensor argument {@code tensor} may be left out. */
    public boolean isOptional(String tensor) { return optional.containsKey(tensor); }

    /** Whether {@code name}, written for optional tensor argument {@code tensor}, is a name the builtin takes in its place. */
    public boolean acceptsName(String tensor, String name) { return optional.getOrDefault(tensor, Set.of()).contains(name); }

    /** Tensors {@code t0 … t(max−1)}, the first {@code min} required (as in {@code concat(a, b, c, axis = 1)}), then options. */
    static Signature variadic(int min, int max, List<String> options, List<String> required) {
        List<String> tensors = new ArrayList<>();
        Map<String, Set<String>> optional = new HashMap<>();
        for (int i = 0; i < max; i++) {
            tensors.add("t" + i);
            if (i >= min) optional.put("t" + i, Set.of());
        }
        return new Signature(tensors, options, required, optional);
    }

    /** Tensor arguments only. */
    static Signature tensors(String... names) { return new Signature(List.of(names), List.of(), List.of()); }

    /** Every argument slot: tensors, then options, then the tensors placed after the options. */
    public List<String> slots() {
        List<String> all = new ArrayList<>(tensors);
        all.removeAll(afterOptions);
        all.addAll(options);
        for (String t : tensors) if (afterOptions.contains(t)) all.add(t);
        return all;
    }

    /** The usage line of builtin {@code name} in messages: {@code dense(x, units)}. */
    public String usage(String name) {
        if (name.equals("reshape")) return "reshape(x, d0, d1, ...) with at most " + ShapeBuiltins.MAX_RESHAPE_DIMS + " dimensions";
        if (tensors.size() > 1 && tensors.get(0).equals("t0") && tensors.get(1).equals("t1") && isOptional(tensors.get(tensors.size() - 1)))
            return name + "(t0, t1, ...) with at most " + tensors.size() + " tensors" + options.stream().map(o -> ", " + o + " = ...").reduce("", String::concat);
        List<String> parts = new ArrayList<>();
        for (String t : tensors) if (!afterOptions.contains(t)) parts.add(isOptional(t) ? t + " = ..." : t);
        for (String o : options) parts.add(required.contains(o) ? o : o + " = ...");
        for (String t : tensors) if (afterOptions.contains(t)) parts.add(t + " = ...");
        return name + "(" + String.join(", ", parts) + ")";
    }
}
