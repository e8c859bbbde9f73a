package nnc.schedule;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.kir.Buffer;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.types.Shape;

/**
 * The buffers of a program being scheduled, in the order they are made (their ids): each named
 * tensor's, by name, and the one holding each node's value. A node means the same value in every
 * entry, so its buffer is shared by all of them.
 */
final class Storage {
    private final IrModule module;
    private final List<Buffer> buffers = new ArrayList<>();
    private final Map<String, Buffer> named = new LinkedHashMap<>();
    private final Map<Node, Buffer> byNode = new IdentityHashMap<>();

    Storage(IrModule module) { this.module = module; }

    /** Every buffer made so far, by id. */
    List<Buffer> buffers() { return buffers; }

    /** A new buffer for the named tensor {@code name} with {@code role}, holding {@code n}'s value unless it is an output. */
    void addNamed(String name, Node n, Role role) {
        Buffer b = newBuffer(name, n, role);
        named.put(name, b);
        if (role != Role.OUTPUT) byNode.put(n, b);
    }

    /** The buffer of the named tensor {@code name}. */
    Buffer named(String name) { return named.get(name); }

    /** The buffer holding {@code n}'s value, or null when it has none (yet). */
    Buffer get(Node n) { return byNode.get(n); }

    boolean has(Node n) { return byNode.containsKey(n); }

    void put(Node n, Buffer b) { byNode.put(n, b); }

    void putIfAbsent(Node n, Buffer b) { byNode.putIfAbsent(n, b); }

    /** True when some node's value is held in {@code b}. */
    boolean holds(Buffer b) { return byNode.values().stream().anyMatch(x -> x == b); }

    /** The buffer holding {@code n}'s value, a new intermediate when it has none. */
    Buffer temp(Node n) { return byNode.computeIfAbsent(n, k -> newTemp(k, "")); }

    /** A new intermediate of {@code n}'s type, named after it with {@code suffix}, holding no node's value. */
    Buffer newTemp(Node n, String suffix) { return newBuffer(tempName(n) + suffix, n, null); }

    /** A fresh f32 intermediate for a library call's workspace. */
    Buffer workspace(Shape shape) {
        Buffer b = new Buffer(buffers.size(), "work" + buffers.size(), DType.F32, shape, null);
        buffers.add(b);
        return b;
    }

    /** The buffer holding {@code n}'s value; a reshape's input must have one. */
    Buffer bufferOf(Node n) {
        Buffer b = byNode.get(n);
        if (b == null) throw new IllegalStateException("no buffer for " + n + " (fused nodes cannot be reshaped)");
        return b;
    }

    /** The buffer holding an operand a library call or a product reads whole. */
    Buffer load(Node n) {
        Buffer b = byNode.get(n);
        if (b == null) throw new IllegalStateException("matmul operand without a buffer: " + n);
        return b;
    }

    /** {@code t12}, or {@code h_12} / {@code d_h_12} when the node computes binding h or its gradient. */
    private String tempName(Node n) {
        String label = module.labels().get(n);
        return label == null ? "t" + n.id() : label + "_" + n.id();
    }

    private Buffer newBuffer(String name, Node n, Role role) {
        Buffer b = new Buffer(buffers.size(), name, n.type().dtype(), n.shape(), role);
        buffers.add(b);
        return b;
    }
}
