package nnc.builtins;

import java.util.List;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.types.TensorType;

/**
 * What a lowering sees of one checked call of its builtin (the lowering stage implements it): the
 * builder, the tensor arguments already lowered, the options as the type rule recorded them, the
 * parameters the call owns, the mode, and where the forward pass's state updates go.
 */
public interface LowerContext {
    GraphBuilder builder();

    /** The lowered tensor arguments, in the signature's order. */
    List<Node> tensors();

    default Node tensor(int i) { return tensors().get(i); }

    /** The checked type of the call's result. */
    TensorType resultType();

    boolean has(String option);

    /** Option {@code option} as the type rule recorded it (Double, String or Boolean), or null. */
    Object option(String option);

    default double number(String option) { return ((Number) option(option)).doubleValue(); }

    default int intOption(String option) { return ((Number) option(option)).intValue(); }

    /** The layer name a stateful call recorded ({@link Builtin#LAYER}), which names its state. */
    default String layerName() { return (String) option(Builtin.LAYER); }

    /** The parameter the call owns as {@code role} ({@code W}, {@code attention.q.b}). */
    Node param(String role);

    /** Every parameter the call owns, in the order they were created. */
    List<Node> params();

    /** True in training mode (dropout drops, batch norm uses batch statistics); false for evaluate and predict. */
    boolean training();

    /** Records the new value of state {@code name} after a training step's forward pass. */
    void updateState(String name, Node value);

    /** The id of the loop this call lowers to: the same in every lowering of the call with this builder. */
    int loopId();

    /** The id of loop {@code part} of a call that lowers to several loops (stacked recurrent layers); part 0 is {@link #loopId()}. */
    int loopId(int part);
}
