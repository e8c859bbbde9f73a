package nnc.check;

import java.util.ArrayList;
import java.util.HashMap;
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
 * Types {@code scan h = init over x_t in seq { … }} and {@code scan (h, c) = (h0, c0) over …} (DSL.md §9). The sequence is stepped along its
 * time axis ({@link ShapeRules#scanAxis}): {@code x_t} is one step of it ({@code [batch, d]} of a
 * {@code [batch, time, d]} sequence). The body sees the model's names, {@code x_t} and the carry;
 * it binds names of its own and may rebind them, and its last binding of the carry is the carry of
 * the next step, which must keep the initial carry's type (likewise for each of several carries).
 * The scan's value is the (first) carry after every step, stacked along the same axis: {@code [batch, time, …]}. Layer calls in the body own
 * parameters named after the scan's statement and the body binding ({@code hs.h.W}), shared by
 * every step.
 */
final class ScanChecker {
    private ScanChecker() {}

    static TensorType type(Ast.Scan s, ExprTyper outer, Scope scope, String prefix) {
        List<TensorType> inits = new ArrayList<>();
        for (Ast.Carry c : s.carries()) inits.add(outer.type(c.init()));
        TensorType seq = outer.type(s.sequence());
        if (seq.dtype() != DType.F32)
            throw CheckFailure.error(s.sequence().span(), "a scan steps over an f32 sequence, but this is " + seq,
                    "turn token ids into vectors first: embedding(tokens, vocab = V, dim = D)");
        int axis = ShapeRules.scanAxis(seq.shape());
        if (axis < 0 || !seq.shape().dim(axis).isFixed())
            throw CheckFailure.error(s.sequence().span(), "a scan steps along the time axis of its sequence, but " + seq + " has none",
                    "scan over a [batch, time, d] sequence");
        Map<String, Span> declared = new LinkedHashMap<>();
        for (int i = 0; i < s.carries().size(); i++) {
            Ast.Carry c = s.carries().get(i);
            TensorType init = inits.get(i);
            if (init.dtype() != DType.F32)
                throw CheckFailure.error(c.init().span(), "the carry '" + c.name() + "' must be f32, but its initial value is " + init);
            if (axis == 1 && (init.rank() < 1 || !init.shape().dim(0).equals(Dim.BATCH)))
                throw CheckFailure.error(c.init().span(), "the carry '" + c.name() + "' starts as " + init + ", but it needs the batch dimension first, like the sequence " + seq,
                        "e.g. " + c.name() + " = zeros(batch, 64)");
            if (declared.containsKey(c.name()))
                throw CheckFailure.error(c.span(), "the scan has two carries called '" + c.name() + "'", "give each carry its own name, e.g. (h, c)");
            declared.put(c.name(), c.span());
        }
        TensorType element = TensorType.f32(seq.shape().without(List.of(axis)));

        if (declared.containsKey(s.element()))
            throw CheckFailure.error(s.elementSpan(), "the step element and the carry are both called '" + s.element() + "'", "name the element x_t, for example");
        declared.put(s.element(), s.elementSpan());
        for (Ast.LetDecl let : s.body()) declared.putIfAbsent(let.name(), let.nameSpan());
        Scope local = Scope.nested(scope, declared);
        for (int i = 0; i < s.carries().size(); i++) local.rebind(s.carries().get(i).name(), Scope.Kind.BINDING, inits.get(i), s.carries().get(i).span(), null);
        local.rebind(s.element(), Scope.Kind.BINDING, element, s.elementSpan(), null);

        ExprTyper body = outer.forScanBody(local); // names its statements' layer calls on its own
        Map<String, Ast.LetDecl> lastCarry = new HashMap<>();
        Map<String, TensorType> carried = new HashMap<>();
        for (Ast.LetDecl let : s.body()) {
            TensorType t = body.typeStatement(let.value(), prefix + "." + local.nextLayerPrefix(let.name()));
            local.rebind(let.name(), Scope.Kind.BINDING, t, let.nameSpan(), let.value());
            lastCarry.put(let.name(), let);
            carried.put(let.name(), t);
        }
        for (int i = 0; i < s.carries().size(); i++) {
            Ast.Carry c = s.carries().get(i);
            if (!lastCarry.containsKey(c.name()))
                throw CheckFailure.error(c.span(), "the scan body never gives the carry '" + c.name() + "' its next value",
                        "bind it in the body, e.g. " + c.name() + " = tanh(" + s.element() + " @ Wxh + " + c.name() + " @ Whh)");
            if (!carried.get(c.name()).equals(inits.get(i)))
                throw CheckFailure.error(lastCarry.get(c.name()).value().span(), "the carry '" + c.name() + "' starts as " + inits.get(i)
                        + " but this step makes it " + carried.get(c.name()), "a carry keeps its type from step to step", c.init().span(), "its initial value is here");
        }
        Shape stacked = ShapeRules.insert(inits.get(0).shape(), axis == 1 ? 1 : 0, seq.shape().dim(axis));
        return TensorType.f32(stacked);
    }
}
