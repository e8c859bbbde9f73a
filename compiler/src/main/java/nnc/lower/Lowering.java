package nnc.lower;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.builtins.Builtin;
import nnc.builtins.Builtins;
import nnc.check.CheckedModel;
import nnc.check.Indexing;
import nnc.ir.BinaryFn;
import nnc.ir.GraphBuilder;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.runtime.Role;
import nnc.syntax.Ast;
import nnc.types.ShapeRules;
import nnc.types.TensorType;

/**
 * Typed AST → Graph IR for the forward pass and the loss. Builtin layers and losses become
 * primitives here, each by the lowering its {@link Builtins} entry declares; nothing after this
 * stage knows them.
 */
public final class Lowering {
    private final CheckedModel model;
    private final GraphBuilder b;
    private Map<String, Node> env = new HashMap<>();
    private final Map<String, Node> params = new LinkedHashMap<>();
    private final Mode mode;

    /**
     * The forward pass: named outputs, the loss node, the parameters, and the new values of the
     * state the forward pass itself keeps (batch norm's running statistics, dropout's step counter;
     * empty in inference mode).
     */
    public record Forward(Map<String, Node> outputs, Node loss, Map<String, Node> params, Map<String, Node> stateUpdates) {}

    /** Training: dropout drops and batch norm uses batch statistics. Inference: dropout is the identity, batch norm uses running statistics. */
    public enum Mode { TRAIN, INFERENCE }

    private final Map<String, Node> stateUpdates = new LinkedHashMap<>();

    private Lowering(CheckedModel model, GraphBuilder b, Mode mode) {
        this.model = model;
        this.b = b;
        this.mode = mode;
    }

    /** The training-mode forward pass. */
    public static Forward lower(CheckedModel model, GraphBuilder b) { return lower(model, b, Mode.TRAIN); }

    /** The forward pass in {@code mode}; nodes the modes share are the same nodes (the builder interns them). */
    public static Forward lower(CheckedModel model, GraphBuilder b, Mode mode) {
        return new Lowering(model, b, mode).run();
    }

    private Forward run() {
        for (CheckedModel.Value v : model.inputs()) env.put(v.name(), b.node(new Op.Input(v.name(), Role.INPUT, v.type())));
        for (CheckedModel.Value v : model.targets()) env.put(v.name(), b.node(new Op.Input(v.name(), Role.TARGET, v.type())));
        for (CheckedModel.Param p : model.params()) {
            Node n = b.node(new Op.Param(p.name(), p.type(), p.init()));
            b.setLineIfAbsent(n, p.span().line());
            params.put(p.name(), n);
            env.put(p.name(), n);
        }
        for (Ast.Stmt s : model.decl().body()) {
            if (s instanceof Ast.LetDecl let) {
                b.atLine(let.span().line());
                env.put(let.name(), b.label(lower(let.value()), let.name()));
            }
        }
        Map<String, Node> outputs = new LinkedHashMap<>();
        for (CheckedModel.Value out : model.outputs()) outputs.put(out.name(), env.get(out.name()));
        b.atLine(model.loss().span().line());
        Node loss = lower(model.loss());
        b.atLine(0);
        return new Forward(outputs, loss, params, stateUpdates);
    }

    private Node lower(Ast.Expr e) {
        if (e instanceof Ast.NumberLit n) return b.constant(n.value());
        if (e instanceof Ast.NameRef r) {
            Node n = env.get(r.name());
            if (n == null) throw new IllegalStateException("unresolved name after checking: " + r.name() + " at " + r.span());
            return n;
        }
        if (e instanceof Ast.Negate neg) return b.neg(lower(neg.operand()));
        if (e instanceof Ast.BinaryExpr bin) return binary(bin);
        if (e instanceof Ast.Call call && model.inlined().containsKey(call)) return inline(model.inlined().get(call));
        if (e instanceof Ast.Call call) {
            CheckedModel.ResolvedCall rc = model.calls().get(call);
            if (rc == null) throw new IllegalStateException("unresolved call after checking at " + call.span());
            return builtin(rc, model.typeOf(call));
        }
        if (e instanceof Ast.StringLit s) throw new IllegalStateException("string in a tensor expression at " + s.span());
        if (e instanceof Ast.Scan s) return scan(s);
        if (e instanceof Ast.Tuple t) throw new IllegalStateException("tuple in a tensor expression at " + t.span());
        if (e instanceof Ast.Index x && pieceCall(x) != null) return piece(x, pieceCall(x));
        if (e instanceof Ast.Index x) {
            Node target = lower(x.target());
            Indexing.Plan plan = Indexing.plan(x, target.shape());
            return b.slice(target, plan.slice());
        }
        throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
    }

    /** The resolved {@code chunk} or {@code split} call that {@code x} picks a piece of, or null. */
    private CheckedModel.ResolvedCall pieceCall(Ast.Index x) {
        if (Indexing.pieceOf(x) == null || model.inlined().containsKey((Ast.Call) x.target())) return null;
        return model.calls().get((Ast.Call) x.target());
    }

    /** {@code chunk(t, …)[i, rest…]}: piece i as a slice of t itself (no stacked copy of the pieces), then the rest. */
    private Node piece(Ast.Index x, CheckedModel.ResolvedCall call) {
        Node t = lower(call.tensors().get(0));
        int axis = ((Number) call.options().get("axis")).intValue(), rank = t.shape().rank();
        long pieces = ((Number) call.options().get("pieces")).longValue(), size = t.shape().dim(axis).size() / pieces;
        long i = Indexing.pieceIndex(x, pieces);
        List<Long> start = new ArrayList<>(Collections.nCopies(rank, 0L)), stop = new ArrayList<>(Collections.nCopies(rank, -1L));
        start.set(axis, i * size);
        stop.set(axis, (i + 1) * size);
        Node p = b.slice(t, new Op.Slice(start, stop, Collections.nCopies(rank, 1L)));
        Ast.Index rest = Indexing.pieceOf(x);
        return rest.items().isEmpty() ? p : b.slice(p, Indexing.plan(rest, p.shape()).slice());
    }

    /** The value of builtin call {@code c}, whose checked type is {@code type}: its arguments first, then its entry's lowering. */
    private Node builtin(CheckedModel.ResolvedCall c, TensorType type) {
        Builtin builtin = Builtins.lookup(c.builtin()).orElseThrow(() -> new IllegalStateException("no builtin " + c.builtin()));
        List<Node> tensors = new ArrayList<>(); // null for an optional tensor argument left out
        for (Ast.Expr t : c.tensors()) tensors.add(t == null ? null : lower(t));
        return builtin.lowering().lower(new BuiltinCall(b, c, type, tensors, params, mode, stateUpdates));
    }

    /** A fn call: its arguments in the caller's names, then its body in names of its own. */
    private Node inline(CheckedModel.InlinedCall call) {
        Map<String, Node> local = new HashMap<>();
        for (int i = 0; i < call.params().size(); i++) local.put(call.params().get(i), lower(call.args().get(i)));
        Map<String, Node> caller = env;
        env = local;
        try {
            for (Ast.LetDecl let : call.body()) env.put(let.name(), lower(let.value()));
            return lower(call.returned());
        } finally {
            env = caller;
        }
    }

    /**
     * A scan as a loop over the leading axis of a time-major copy of the sequence ({@code [time,
     * batch, d]}, so each step reads one contiguous slice); the stacked carries are transposed back
     * to {@code [batch, time, …]}. The body is lowered once, over the loop's variables.
     */
    private Node scan(Ast.Scan s) {
        List<Node> inits = new ArrayList<>();
        for (Ast.Carry c : s.carries()) inits.add(lower(c.init()));
        Node seq = lower(s.sequence());
        int axis = ShapeRules.scanAxis(seq.shape());
        int steps = Math.toIntExact(seq.shape().dim(axis).size());
        Node timeMajor = axis == 0 ? seq : b.transpose(seq, Op.Transpose.firstTwo(seq.shape().rank()));
        int loop = b.loopId(s);
        List<Node> carries = new ArrayList<>();
        for (int i = 0; i < inits.size(); i++) carries.add(b.loopVar(loop, false, i, inits.get(i).type()));
        Node element = b.loopVar(loop, true, 0, TensorType.f32(ScanBody.slice(timeMajor.shape())));
        Map<String, Node> outer = env;
        env = new HashMap<>(env);
        List<Node> next = new ArrayList<>();
        try {
            for (int i = 0; i < carries.size(); i++) env.put(s.carries().get(i).name(), carries.get(i));
            env.put(s.element(), element);
            for (Ast.LetDecl let : s.body()) {
                b.atLine(let.span().line());
                env.put(let.name(), b.label(lower(let.value()), let.name()));
            }
            b.atLine(s.span().line());
            for (Ast.Carry c : s.carries()) next.add(env.get(c.name()));
        } finally {
            env = outer;
        }
        LoopHoisting.Draft d = LoopHoisting.hoistSliceProducts(b, loop, steps, carries, new LoopHoisting.Draft(List.of(element), List.of(timeMajor), next));
        ScanBody body = ScanBody.of(loop, steps, false, carries, d.slices(), d.next(), List.of(d.next().get(0)));
        Node stacked = b.scan(body, inits, d.sequences()).get(body.stepOutput(0));
        return axis == 0 ? stacked : b.transpose(stacked, Op.Transpose.firstTwo(stacked.shape().rank()));
    }

    private Node binary(Ast.BinaryExpr e) {
        if (e.op().equals("@")) return matmul(e.left(), e.right());
        Node l = lower(e.left()), r = lower(e.right());
        return switch (e.op()) {
            case "+" -> b.add(l, r);
            case "-" -> b.sub(l, r);
            case "*" -> b.mul(l, r);
            case "/" -> b.div(l, r);
            case "^" -> b.binary(BinaryFn.POW, l, r);
            case ">" -> b.binary(BinaryFn.GT, l, r);
            case ">=" -> b.binary(BinaryFn.GE, l, r);
            case "<" -> b.binary(BinaryFn.GT, r, l);
            case "<=" -> b.binary(BinaryFn.GE, r, l);
            case "==" -> b.binary(BinaryFn.EQ, l, r);
            default -> throw new IllegalStateException("unknown operator " + e.op());
        };
    }

    /** {@code a @ b}, with an operand written {@code transpose(m)} read transposed by the matmul itself (no copy). */
    private Node matmul(Ast.Expr left, Ast.Expr right) {
        Ast.Expr l = transposed(left), r = transposed(right);
        Node a = lower(l != null ? l : left), m = lower(r != null ? r : right);
        if (m.shape().rank() == 2 && a.shape().rank() > 2) { // [batch, time, d] @ [d, e]: over the last axis
            if (l != null) a = b.transpose(a, Op.Transpose.lastTwo(a.shape().rank()));
            return b.matmulLastAxis(a, m, r != null);
        }
        return b.matmul(a, m, l != null, r != null); // also batched: [b, h, t, k] @ [b, h, k, n], transposes read in place
    }

    /** The argument of {@code transpose(m)} (a builtin call, not a fn), or null. */
    private Ast.Expr transposed(Ast.Expr e) {
        if (!(e instanceof Ast.Call c) || model.inlined().containsKey(c)) return null;
        CheckedModel.ResolvedCall rc = model.calls().get(c);
        if (rc == null || !rc.builtin().equals("transpose")) return null;
        int rank = model.typeOf(rc.tensors().get(0)).rank(); // transpose(x, a, b) of other axes than the last two is a copy
        Object d0 = rc.options().get("dim0"), d1 = rc.options().get("dim1");
        boolean lastTwo = d0 == null || Math.min(((Number) d0).intValue(), ((Number) d1).intValue()) == rank - 2
                && Math.max(((Number) d0).intValue(), ((Number) d1).intValue()) == rank - 1;
        return lastTwo ? rc.tensors().get(0) : null;
    }
}
