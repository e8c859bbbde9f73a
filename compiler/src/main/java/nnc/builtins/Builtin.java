package nnc.builtins;

import java.util.Objects;
import nnc.ir.Node;
import nnc.types.TensorType;

/**
 * One builtin function of the language, declared once: its signature, its type rule (what the
 * checker runs at each call) and its lowering (the Graph IR primitives the call becomes). A builtin
 * cannot be declared without a lowering.
 *
 * @param createsParams whether a call owns parameters or state named after its statement (a layer)
 */
public record Builtin(String name, Signature signature, TypeRule rule, LoweringRule lowering, boolean createsParams) {
    /** The option of a stateful builtin call (dropout, batch_norm) holding its layer name, which names its state. */
    public static final String LAYER = "layer";

    /**
     * The option of an {@code l1}/{@code l2} call written {@code l2(params)}: the penalty covers every
     * parameter of the model defined above it, declared or owned by a layer call, listed as the
     * call's owned parameters (its tensor list is empty).
     */
    public static final String ALL_PARAMS = "all_params";

    /** Checks one call's arguments, creates the parameters it owns, and returns the type of its result. */
    @FunctionalInterface
    public interface TypeRule {
        TensorType apply(TypeContext c);
    }

    /** The value of one checked call, built from Graph IR primitives. */
    @FunctionalInterface
    public interface LoweringRule {
        Node lower(LowerContext c);
    }

    public Builtin {
        Objects.requireNonNull(name);
        Objects.requireNonNull(signature, name);
        Objects.requireNonNull(rule, name);
        Objects.requireNonNull(lowering, name);
    }

    /** A builtin that owns no parameters. */
    static Builtin function(String name, Signature signature, TypeRule rule, LoweringRule lowering) {
        return new Builtin(name, signature, rule, lowering, false);
    }

    /** A builtin whose calls own parameters or state named after their statement. */
    static Builtin layer(String name, Signature signature, TypeRule rule, LoweringRule lowering) {
        return new Builtin(name, signature, rule, lowering, true);
    }
}
