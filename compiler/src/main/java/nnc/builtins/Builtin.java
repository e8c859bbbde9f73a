package nnc.builtins;

import java.util.Objects;
import nnc.ir.Node;
import nnc.types.TensorType;

/**
 * One builtin function of the language, declared once: its signature, its type rule (what the
 * checker runs at each call) and its lowering (the Graph IR primitives the call becomes). A builtin
 * cannot be declared without a lowering.
 */
public record Builtin(String name, Kind kind, Signature signature, TypeRule rule, LoweringRule lowering) {
    /** What a call of the builtin is, beyond its value. */
    public enum Kind {
        /** A function of its arguments. */
        FUNCTION,
        /** A layer: each call owns parameters or state named after its statement. */
        LAYER,
        /** A layer that runs a loop over time of its own, so cannot be called inside a scan body. */
        LOOP_LAYER
    }

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
        Objects.requireNonNull(kind, name);
        Objects.requireNonNull(signature, name);
        Objects.requireNonNull(rule, name);
        Objects.requireNonNull(lowering, name);
    }

    /** Whether a call owns parameters or state named after its statement (a layer). */
    public boolean createsParams() { return kind != Kind.FUNCTION; }

    /** Whether a call runs a loop of its own (loops cannot nest). */
    public boolean runsLoop() { return kind == Kind.LOOP_LAYER; }

    /** A builtin that owns no parameters. */
    static Builtin function(String name, Signature signature, TypeRule rule, LoweringRule lowering) {
        return new Builtin(name, Kind.FUNCTION, signature, rule, lowering);
    }

    /** A builtin whose calls own parameters or state named after their statement. */
    static Builtin layer(String name, Signature signature, TypeRule rule, LoweringRule lowering) {
        return new Builtin(name, Kind.LAYER, signature, rule, lowering);
    }
}
