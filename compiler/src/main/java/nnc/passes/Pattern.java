package nnc.passes;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.UnaryFn;

/**
 * A tree pattern over Graph IR nodes, and the same tree read as a replacement template. Variables
 * bind nodes (a variable used twice must bind the same node); constants match a scalar constant of
 * exactly that f32 value (sign of zero included), also through broadcasts and reshapes; ops match
 * equal ops (commutative binaries in either order), or any op of a kind whose op is bound by name.
 */
sealed interface Pattern {
    record Var(String name) implements Pattern {
        @Override public String toString() { return name; }
    }

    record Const(double value) implements Pattern {
        @Override public String toString() { return value == 0 && 1 / value < 0 ? "-0" : trim(value); }
    }

    record Apply(Op op, List<Pattern> args) implements Pattern {
        @Override public String toString() { return op.mnemonic() + op.attributes() + args; }
    }

    /** Any op of class {@code kind}, bound to {@code opVar} so a template can rebuild it. */
    record ApplyKind(String opVar, Class<? extends Op> kind, List<Pattern> args) implements Pattern {
        @Override public String toString() { return kind.getSimpleName().toLowerCase(Locale.ROOT) + "<" + opVar + ">" + args; }
    }

    /** Matches {@code n}, adding bindings (node variables, and ops under their {@code opVar}) to {@code env}. */
    default boolean match(Node n, Map<String, Object> env) {
        if (this instanceof Var v) {
            Object prev = env.putIfAbsent(v.name(), n);
            return prev == null || prev == n;
        }
        if (this instanceof Const c) return constantValue(n) instanceof Float f
                && Float.floatToRawIntBits(f) == Float.floatToRawIntBits((float) c.value());
        if (this instanceof Apply a) return n.op().equals(a.op()) && matchArgs(a.args(), n, env, isCommutative(a.op()));
        if (this instanceof ApplyKind k) {
            if (!k.kind().isInstance(n.op())) return false;
            Object prev = env.putIfAbsent(k.opVar(), n.op());
            return (prev == null || prev.equals(n.op())) && matchArgs(k.args(), n, env, false);
        }
        throw new IllegalStateException("unexpected " + this.getClass().getSimpleName());
    }

    /** Builds this template with the bindings of a match. */
    default Node build(GraphBuilder b, Map<String, Object> env) {
        return switch (this) {
            case Var v -> (Node) env.get(v.name());
            case Const c -> b.constant(c.value());
            case Apply a -> b.node(a.op(), a.args().stream().map(p -> p.build(b, env)).toList());
            case ApplyKind k -> b.node((Op) env.get(k.opVar()), k.args().stream().map(p -> p.build(b, env)).toList());
        };
    }

    private static boolean matchArgs(List<Pattern> args, Node n, Map<String, Object> env, boolean commutative) {
        if (args.size() != n.inputs().size()) return false;
        Map<String, Object> trial = new HashMap<>(env);
        if (matchAll(args, n.inputs(), trial)) {
            env.putAll(trial);
            return true;
        }
        if (!commutative) return false;
        trial = new HashMap<>(env);
        if (matchAll(args, List.of(n.input(1), n.input(0)), trial)) {
            env.putAll(trial);
            return true;
        }
        return false;
    }

    private static boolean matchAll(List<Pattern> args, List<Node> nodes, Map<String, Object> env) {
        for (int i = 0; i < args.size(); i++) if (!args.get(i).match(nodes.get(i), env)) return false;
        return true;
    }

    /** ADD MUL MAX MIN EQ: IEEE 754 gives the same result for either order of the operands. */
    static boolean isCommutative(Op op) {
        return op instanceof Op.Binary bin && switch (bin.fn()) {
            case ADD, MUL, MAX, MIN, EQ -> true;
            default -> false;
        };
    }

    /** The f32 value of a scalar constant, also seen through broadcasts and reshapes; null otherwise. */
    static Float constantValue(Node n) {
        Node x = n;
        while (x.op() instanceof Op.Broadcast || x.op() instanceof Op.Reshape) x = x.input(0);
        return x.op() instanceof Op.Constant c ? (float) c.value() : null;
    }

    private static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    // ---- vocabulary for rule tables ----
    static Var var(String name) { return new Var(name); }

    static Const c(double v) { return new Const(v); }

    static Apply bin(BinaryFn fn, Pattern a, Pattern b) { return new Apply(new Op.Binary(fn), List.of(a, b)); }

    static Apply un(UnaryFn fn, Pattern a) { return new Apply(new Op.Unary(fn), List.of(a)); }
}
