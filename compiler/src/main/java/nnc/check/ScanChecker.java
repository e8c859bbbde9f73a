package nnc.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.diag.Span;
import nnc.runtime.DType;
import nnc.syntax.Ast;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.ShapeRules;
import nnc.types.TensorType;

/**
 * Types {@code scan h = init over x_t in seq { … }} (DSL.md §9). The sequence is stepped along its
 * time axis ({@link ShapeRules#scanAxis}): {@code x_t} is one step of it ({@code [batch, d]} of a
 * {@code [batch, time, d]} sequence). The body sees the model's names, {@code x_t} and the carry;
 * it binds names of its own and may rebind them, and its last binding of the carry is the carry of
 * the next step, which must keep the initial carry's type. The scan's value is the carry after
 * every step, stacked along the same axis: {@code [batch, time, …]}. Layer calls in the body own
 * parameters named after the scan's statement and the body binding ({@code hs.h.W}), shared by
 * every step.
 */
final class ScanChecker {
    private ScanChecker() {}

    static TensorType type(Ast.Scan s, ExprTyper outer, Scope scope, String prefix) {
        TensorType init = outer.type(s.init());
        TensorType seq = outer.type(s.sequence());
        if (seq.dtype() != DType.F32)
            throw CheckFailure.error(s.sequence().span(), "a scan steps over an f32 sequence, but this is " + seq,
                    "turn token ids into vectors first: embedding(tokens, vocab = V, dim = D)");
        int axis = ShapeRules.scanAxis(seq.shape());
        if (axis < 0 || !seq.shape().dim(axis).isFixed())
            throw CheckFailure.error(s.sequence().span(), "a scan steps along the time axis of its sequence, but " + seq + " has none",
                    "scan over a [batch, time, d] sequence");
        if (init.dtype() != DType.F32)
            throw CheckFailure.error(s.init().span(), "the carry '" + s.carry() + "' must be f32, but its initial value is " + init);
        if (axis == 1 && (init.rank() < 1 || !init.shape().dim(0).equals(Dim.BATCH)))
            throw CheckFailure.error(s.init().span(), "the carry '" + s.carry() + "' starts as " + init + ", but it needs the batch dimension first, like the sequence " + seq,
                    "e.g. " + s.carry() + " = zeros(batch, 64)");
        TensorType element = TensorType.f32(seq.shape().without(List.of(axis)));

        Map<String, Span> declared = new LinkedHashMap<>();
        declared.put(s.carry(), s.carrySpan());
        declared.put(s.element(), s.elementSpan());
        for (Ast.LetDecl let : s.body()) declared.putIfAbsent(let.name(), let.nameSpan());
        Scope local = Scope.nested(scope, declared);
        local.rebind(s.carry(), Scope.Kind.BINDING, init, s.carrySpan(), null);
        if (s.element().equals(s.carry()))
            throw CheckFailure.error(s.elementSpan(), "the step element and the carry are both called '" + s.carry() + "'", "name the element x_t, for example");
        local.rebind(s.element(), Scope.Kind.BINDING, element, s.elementSpan(), null);

        ExprTyper body = outer.forScanBody(local); // names its statements' layer calls on its own
        Ast.LetDecl lastCarry = null;
        TensorType carry = init;
        for (Ast.LetDecl let : s.body()) {
            TensorType t = body.typeStatement(let.value(), prefix + "." + local.nextLayerPrefix(let.name()));
            local.rebind(let.name(), Scope.Kind.BINDING, t, let.nameSpan(), let.value());
            if (let.name().equals(s.carry())) {
                lastCarry = let;
                carry = t;
            }
        }
        if (lastCarry == null)
            throw CheckFailure.error(s.carrySpan(), "the scan body never gives the carry '" + s.carry() + "' its next value",
                    "bind it in the body, e.g. " + s.carry() + " = tanh(" + s.element() + " @ Wxh + " + s.carry() + " @ Whh)");
        if (!carry.equals(init))
            throw CheckFailure.error(lastCarry.value().span(), "the carry '" + s.carry() + "' starts as " + init + " but this step makes it " + carry,
                    "a carry keeps its type from step to step", s.init().span(), "its initial value is here");
        Shape stacked = ShapeRules.insert(init.shape(), axis == 1 ? 1 : 0, seq.shape().dim(axis));
        return TensorType.f32(stacked);
    }
}
