package nnc.syntax;

import java.util.stream.Collectors;

/** Prints expressions as S-expressions, so that tests can state a tree in one line. */
public final class SExpr {
    private SExpr() {}

    public static String of(Ast.Expr e) {
        return switch (e) {
            case Ast.NumberLit n -> n.text();
            case Ast.StringLit s -> '"' + s.value() + '"';
            case Ast.NameRef n -> n.name();
            case Ast.Negate n -> "(neg " + of(n.operand()) + ")";
            case Ast.BinaryExpr b -> "(" + b.op() + " " + of(b.left()) + " " + of(b.right()) + ")";
            case Ast.Call c -> "(" + c.callee() + c.args().stream()
                    .map(a -> " " + (a.name() == null ? "" : a.name() + "=") + of(a.value()))
                    .collect(Collectors.joining()) + ")";
            case Ast.Tuple t -> "(tuple" + t.items().stream().map(i -> " " + of(i)).collect(Collectors.joining()) + ")";
            case Ast.Index x -> "(index " + of(x.target()) + x.items().stream().map(SExpr::item).collect(Collectors.joining()) + ")";
            case Ast.Scan s -> "(scan " + s.carries().stream().map(c -> c.name() + "=" + of(c.init())).collect(Collectors.joining(" ")) + " " + s.element() + " " + of(s.sequence())
                    + s.body().stream().map(l -> " (let " + l.name() + " " + of(l.value()) + ")").collect(Collectors.joining()) + ")";
        };
    }

    private static String item(Ast.IndexItem i) {
        if (i.ellipsis()) return " ...";
        if (i.at() != null) return " " + of(i.at());
        return " " + part(i.start()) + ":" + part(i.stop()) + ":" + part(i.step());
    }

    private static String part(Ast.Expr e) { return e == null ? "" : of(e); }
}
