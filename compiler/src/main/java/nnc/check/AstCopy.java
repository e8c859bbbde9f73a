package nnc.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnc.syntax.Ast;

/**
 * A fresh copy of an expression tree (same spans, new nodes), with the names of {@code constants}
 * replaced by number literals. A fn body is copied per call site this way: the checker's and
 * lowering's tables are keyed by node identity, so each expansion gets its own types and layer
 * parameters, and {@code d} in {@code dense(z, d)} becomes the size bound at the call.
 */
final class AstCopy {
    private AstCopy() {}

    private static Ast.Expr sub(Ast.Expr e, Map<String, Double> constants) { return e == null ? null : substitute(e, constants); }

    static Ast.Expr substitute(Ast.Expr e, Map<String, Double> constants) {
        return switch (e) {
            case Ast.NumberLit n -> new Ast.NumberLit(n.value(), n.text(), n.span());
            case Ast.StringLit s -> new Ast.StringLit(s.value(), s.span());
            case Ast.NameRef r -> constants.containsKey(r.name())
                    ? new Ast.NumberLit(constants.get(r.name()), r.name(), r.span())
                    : new Ast.NameRef(r.name(), r.span());
            case Ast.Negate n -> new Ast.Negate(substitute(n.operand(), constants), n.span());
            case Ast.BinaryExpr b -> new Ast.BinaryExpr(b.op(), substitute(b.left(), constants), substitute(b.right(), constants), b.span(), b.opSpan());
            case Ast.Call c -> {
                List<Ast.Arg> args = new ArrayList<>();
                for (Ast.Arg a : c.args()) args.add(new Ast.Arg(a.name(), substitute(a.value(), constants), a.span()));
                yield new Ast.Call(c.callee(), args, c.span(), c.calleeSpan());
            }
            case Ast.Tuple t -> new Ast.Tuple(t.items().stream().map(i -> substitute(i, constants)).toList(), t.span());
            case Ast.Index x -> {
                List<Ast.IndexItem> items = new ArrayList<>();
                for (Ast.IndexItem i : x.items())
                    items.add(new Ast.IndexItem(i.ellipsis(), sub(i.at(), constants), sub(i.start(), constants), sub(i.stop(), constants),
                            sub(i.step(), constants), i.span()));
                yield new Ast.Index(substitute(x.target(), constants), items, x.span());
            }
            case Ast.Scan s -> {
                List<Ast.LetDecl> body = new ArrayList<>();
                for (Ast.LetDecl l : s.body()) body.add(new Ast.LetDecl(l.name(), substitute(l.value(), constants), l.output(), l.span(), l.nameSpan()));
                List<Ast.Carry> carries = new ArrayList<>();
                for (Ast.Carry c : s.carries()) carries.add(new Ast.Carry(c.name(), c.span(), substitute(c.init(), constants)));
                yield new Ast.Scan(carries, s.element(), s.elementSpan(), substitute(s.sequence(), constants), body, s.span());
            }
        };
    }
}
