package nnc.lower;

import java.util.List;
import java.util.Map;
import nnc.builtins.LowerContext;
import nnc.check.CheckedModel.ResolvedCall;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.types.TensorType;

/** One checked builtin call as its lowering sees it: arguments lowered, owned parameters as nodes. */
final class BuiltinCall implements LowerContext {
    private final GraphBuilder b;
    private final ResolvedCall call;
    private final TensorType type;
    private final List<Node> tensors;
    private final Map<String, Node> params;
    private final Lowering.Mode mode;
    private final Map<String, Node> stateUpdates;

    /**
     * @param tensors      the call's tensor arguments, lowered
     * @param params       every parameter of the model by name (declared and owned by layer calls)
     * @param stateUpdates receives the new values of state the forward pass keeps (training mode)
     */
    BuiltinCall(GraphBuilder b, ResolvedCall call, TensorType type, List<Node> tensors, Map<String, Node> params, Lowering.Mode mode,
                Map<String, Node> stateUpdates) {
        this.b = b;
        this.call = call;
        this.type = type;
        this.tensors = tensors;
        this.params = params;
        this.mode = mode;
        this.stateUpdates = stateUpdates;
    }

    @Override public GraphBuilder builder() { return b; }

    @Override public List<Node> tensors() { return tensors; }

    @Override public TensorType resultType() { return type; }

    @Override public boolean has(String option) { return call.options().containsKey(option); }

    @Override public Object option(String option) { return call.options().get(option); }

    @Override public Node param(String role) {
        String name = call.params().get(role);
        Node n = name == null ? null : params.get(name);
        if (n == null) throw new IllegalStateException(call.builtin() + " has no parameter " + role);
        return n;
    }

    @Override public List<Node> params() { return call.params().values().stream().map(params::get).toList(); }

    @Override public boolean training() { return mode == Lowering.Mode.TRAIN; }

    @Override public void updateState(String name, Node value) { stateUpdates.put(name, value); }

    /** Keyed by the resolved call, which the training and inference lowerings share. */
    @Override public int loopId() { return b.loopId(call); }

    @Override public int loopId(int part) { return b.loopId(call, part); }
}
