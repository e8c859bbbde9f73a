package nnc.builtins;

import java.util.List;
import nnc.runtime.Init;
import nnc.syntax.Ast;
import nnc.types.TensorType;

/**
 * What a type rule sees of one call of its builtin (the checker's call site implements it): the
 * arguments matched to the signature, tensors typed and options folded to constants; errors
 * reported under the right argument; and the parameters the call owns, created here.
 */
public interface TypeContext {
    /** The builtin's name. */
    String name();

    /** The signature's tensor arguments, in order. */
    List<String> signatureTensors();

    /** The type of tensor argument {@code tensor}. */
    TensorType type(String tensor);

    /** The expression given for tensor argument {@code tensor}. */
    Ast.Expr arg(String tensor);

    /** The type of tensor argument {@code tensor}, which must be f32. */
    TensorType f32(String tensor);

    /** "'y'" for a name argument, "its argument" otherwise. */
    String describe(String tensor);

    boolean has(String option);

    /** Option {@code option} as given (a Double for numbers, a String for names, a List of Doubles for a tuple), or null. */
    Object option(String option);

    /** A finite number, {@code fallback} when the option is absent. */
    double number(String option, double fallback);

    /** Records a value the type rule worked out, for lowering (e.g. a default made explicit). */
    void record(String option, Object value);

    /** A whole number of at least 1 that fits in an int. */
    int positiveInt(String option);

    /** An axis of a tensor of rank {@code rank}; negative counts from the end. Recorded normalised (0-based). */
    int axis(String option, int rank);

    /**
     * One axis or a tuple of distinct axes ({@code axis = (0, 1)}) of a tensor of rank {@code rank};
     * negative counts from the end. Recorded normalised (0-based, increasing) as a list of numbers.
     */
    List<Integer> axes(String option, int rank);

    /** Whether tensor argument {@code tensor} was given (an optional one may be left out). */
    default boolean hasTensor(String tensor) { return type(tensor) != null; }

    /** The layer name of this call ({@code h} or {@code h.dropout1}), recorded for lowering as option {@link Builtin#LAYER}. */
    String layerName();

    /** Creates parameter {@code role} of this call ({@code W} → {@code h.W}) and records it. */
    String createParam(String role, TensorType type, Init init);

    /** An error at the call. */
    RuntimeException error(String message, String hint);

    /** An error under argument {@code slot} (a tensor or an option). */
    RuntimeException errorAt(String slot, String message, String hint);

    /** A constant as the user wrote it, for messages: 3, 0.5, 'same'. */
    String show(Object value);
}
