package nnc.ir;

import java.util.List;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * One SSA value of the Graph IR. Nodes are made only by {@link GraphBuilder}, which interns them:
 * two structurally equal nodes are the same object, so identity is equality and CSE is free.
 * {@code id} orders nodes topologically (inputs always have smaller ids).
 */
public final class Node {
    private final int id;
    private final Op op;
    private final List<Node> inputs;
    private final TensorType type;

    Node(int id, Op op, List<Node> inputs, TensorType type) {
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.type = type;
    }

    public int id() { return id; }

    public Op op() { return op; }

    public List<Node> inputs() { return inputs; }

    public Node input(int i) { return inputs.get(i); }

    public TensorType type() { return type; }

    public Shape shape() { return type.shape(); }

    public boolean isLeaf() { return op.fusionKind() == FusionKind.LEAF; }

    /** {@code %12} */
    public String ref() { return "%" + id; }

    @Override public String toString() { return ref() + " = " + op.mnemonic() + op.attributes() + " : " + type; }
}
