package nnc.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import nnc.builtins.Builtin;
import nnc.builtins.Signature;
import nnc.builtins.TypeContext;
import nnc.check.CheckedModel.ResolvedCall;
import nnc.diag.Span;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.TensorType;

/**
 * One call of a builtin, its arguments matched to the builtin's signature: tensors typed, options
 * folded to constants. A builtin's type rule reads its arguments through this class, reports
 * problems through it, and creates the parameters the call owns.
 */
final class CallSite implements TypeContext {
    /** Where layer parameters go: named after the enclosing statement, added to the model. */
    interface LayerParams {
        String nextPrefix(String builtin);

        void define(String name, TensorType type, Init init, Span span);
    }

    private final Ast.Call call;
    private final Builtin builtin;
    private final LayerParams layers;
    private final Map<String, Ast.Expr> tensorArgs = new LinkedHashMap<>();
    private final Map<String, TensorType> tensorTypes = new HashMap<>();
    private final Map<String, Ast.Expr> optionArgs = new HashMap<>();
    private final Map<String, Object> options = new LinkedHashMap<>();
    private final Map<String, String> params = new LinkedHashMap<>();
    private String paramPrefix;

    private CallSite(Ast.Call call, Builtin builtin, LayerParams layers) {
        this.call = call;
        this.builtin = builtin;
        this.layers = layers;
    }

    /**
     * Matches the arguments of {@code call} to the signature. Tensor arguments are typed in source
     * order (which numbers layer parameters), and kept in signature order.
     */
    static CallSite bind(Ast.Call call, Builtin b, Function<Ast.Expr, TensorType> typer, LayerParams layers,
                         Map<Ast.Expr, TensorType> types) {
        CallSite site = new CallSite(call, b, layers);
        Map<Ast.Arg, String> slotOf = site.matchSlots();
        Map<String, Ast.Expr> tensorValues = new HashMap<>();
        for (Ast.Arg a : call.args()) {
            String slot = slotOf.get(a);
            if (b.signature().tensors().contains(slot)) {
                tensorValues.put(slot, a.value());
                site.tensorTypes.put(slot, typer.apply(a.value()));
            } else {
                site.optionArgs.put(slot, a.value());
                site.options.put(slot, site.constant(slot, a.value(), types));
            }
        }
        for (String t : b.signature().tensors()) site.tensorArgs.put(t, tensorValues.get(t));
        return site;
    }

    private Map<Ast.Arg, String> matchSlots() {
        Signature sig = builtin.signature();
        List<String> slots = sig.slots();
        Map<Ast.Arg, String> slotOf = new IdentityHashMap<>();
        Map<String, Ast.Arg> bound = new HashMap<>();
        int position = 0;
        Ast.Arg firstNamed = null;
        for (Ast.Arg a : call.args()) {
            String slot;
            if (a.name() == null) {
                if (firstNamed != null)
                    throw CheckFailure.error(a.span(), "a positional argument cannot follow a named one", "usage: " + sig.usage(name()),
                            firstNamed.span(), "the named argument is here");
                if (position >= slots.size())
                    throw CheckFailure.error(a.span(), name() + " takes at most " + slots.size() + " argument" + (slots.size() == 1 ? "" : "s")
                            + ", got " + call.args().size(), "usage: " + sig.usage(name()));
                slot = slots.get(position++);
            } else {
                if (firstNamed == null) firstNamed = a;
                slot = a.name();
                if (!slots.contains(slot))
                    throw CheckFailure.error(a.span(), name() + " has no argument '" + slot + "'",
                            TypeResolver.hintOr(Suggest.didYouMean(slot, slots), "usage: " + sig.usage(name())));
            }
            if (bound.containsKey(slot))
                throw CheckFailure.error(a.span(), "argument '" + slot + "' of " + name() + " is given twice", "usage: " + sig.usage(name()),
                        bound.get(slot).span(), "first given here");
            bound.put(slot, a);
            slotOf.put(a, slot);
        }
        List<String> required = new ArrayList<>(sig.tensors());
        required.removeAll(sig.optionalTensors());
        required.addAll(sig.required());
        for (String r : required)
            if (!bound.containsKey(r))
                throw CheckFailure.error(call.span(), name() + " is missing its argument '" + r + "'", "usage: " + sig.usage(name()));
        return slotOf;
    }

    private Object constant(String slot, Ast.Expr value, Map<Ast.Expr, TensorType> types) {
        OptionalDouble v = ConstEval.eval(value);
        if (v.isPresent()) {
            ConstEval.forEachNode(value, e -> types.put(e, TensorType.F32_SCALAR));
            if (!Double.isFinite(v.getAsDouble())) throw CheckFailure.error(value.span(), "'" + slot + "' must be a finite number");
            return v.getAsDouble();
        }
        return switch (value) {
            case Ast.NameRef n -> n.name();
            case Ast.StringLit s -> s.value();
            default -> throw CheckFailure.error(value.span(), "'" + slot + "' of " + name() + " must be a constant",
                    "write a number, e.g. " + slot + " = 10");
        };
    }

    @Override public String name() { return builtin.name(); }

    Ast.Call call() { return call; }

    @Override public List<String> signatureTensors() { return builtin.signature().tensors(); }

    @Override public TensorType type(String tensor) { return tensorTypes.get(tensor); }

    @Override public Ast.Expr arg(String tensor) { return tensorArgs.get(tensor); }

    /** The type of tensor argument {@code tensor}, which must be f32. */
    @Override public TensorType f32(String tensor) {
        TensorType t = type(tensor);
        if (t.dtype() != DType.F32)
            throw errorAt(tensor, name() + " needs an f32 tensor, but " + describe(tensor) + " is " + t,
                    "i32 tensors hold class indices; only losses and metrics such as cross_entropy and accuracy take them");
        return t;
    }

    /** "'y'" for a name argument, "its argument" otherwise. */
    @Override public String describe(String tensor) {
        return arg(tensor) instanceof Ast.NameRef n ? "'" + n.name() + "'" : "its argument '" + tensor + "'";
    }

    @Override public boolean has(String option) { return options.containsKey(option); }

    /** Option {@code option} as given (a Double for numbers, a String for names), or null. */
    @Override public Object option(String option) { return options.get(option); }

    /** A finite number, {@code fallback} when the option is absent. */
    @Override public double number(String option, double fallback) {
        Object v = options.get(option);
        if (v == null) return fallback;
        if (!(v instanceof Double d)) throw errorAt(option, "'" + option + "' of " + name() + " must be a number, got " + show(v), null);
        return d;
    }

    /** Records a value the type rule worked out, for lowering (e.g. a default made explicit). */
    @Override public void record(String option, Object value) { options.put(option, value); }

    /** A whole number of at least 1 that fits in an int. */
    @Override public int positiveInt(String option) {
        Object v = options.get(option);
        if (!(v instanceof Double d) || d != Math.rint(d) || d < 1 || d > Integer.MAX_VALUE)
            throw errorAt(option, "'" + option + "' of " + name() + " must be a whole number of at least 1, got " + show(v), null);
        return (int) (double) d;
    }

    /** An axis of a tensor of rank {@code rank}; negative counts from the end. Recorded normalised (0-based). */
    @Override public int axis(String option, int rank) {
        Object v = options.get(option);
        if (!(v instanceof Double d) || d != Math.rint(d))
            throw errorAt(option, "'" + option + "' of " + name() + " must be a whole number, got " + show(v), null);
        if (d < -rank || d >= rank)
            throw errorAt(option, "axis " + show(v) + " is out of range for a tensor of rank " + rank,
                    rank == 0 ? "a scalar has no axes" : "axes run from 0 to " + (rank - 1) + ", or from -" + rank + " to -1 counting from the end");
        int axis = (int) (d < 0 ? d + rank : d);
        options.put(option, (double) axis);
        return axis;
    }

    /** The layer name of this call ({@code h} or {@code h.dropout1}), recorded for lowering as option {@code layer}. */
    @Override public String layerName() {
        if (paramPrefix == null) paramPrefix = layers.nextPrefix(name());
        options.put(Builtin.LAYER, paramPrefix);
        return paramPrefix;
    }

    /** Creates parameter {@code role} of this call ({@code W} → {@code h.W}) and records it. */
    @Override public String createParam(String role, TensorType type, Init init) {
        if (paramPrefix == null) paramPrefix = layers.nextPrefix(name());
        String full = paramPrefix + "." + role;
        TypeResolver.checkElementCount(type, call.span());
        layers.define(full, type, init, call.span());
        params.put(role, full);
        return full;
    }

    @Override public CheckFailure error(String message, String hint) { return CheckFailure.error(call.span(), message, hint); }

    /** An error under argument {@code slot} (a tensor or an option). */
    @Override public CheckFailure errorAt(String slot, String message, String hint) {
        Ast.Expr at = tensorArgs.containsKey(slot) ? tensorArgs.get(slot) : optionArgs.get(slot);
        return CheckFailure.error(at == null ? call.span() : at.span(), message, hint);
    }

    ResolvedCall resolved() {
        // an optional tensor argument left out stays null
        return new ResolvedCall(name(), Collections.unmodifiableList(new ArrayList<>(tensorArgs.values())), Collections.unmodifiableMap(new LinkedHashMap<>(options)),
                Collections.unmodifiableMap(new LinkedHashMap<>(params)));
    }

    @Override public String show(Object v) {
        return v instanceof Double d ? ConstEval.show(d) : "'" + v + "'";
    }
}
