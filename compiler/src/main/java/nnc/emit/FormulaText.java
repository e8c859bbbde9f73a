package nnc.emit;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import nnc.kir.KExpr;

/**
 * Prints a {@link KExpr} as the formula a reader follows, for the comments of generated code and the
 * messages of numerics checks: {@code relu(x + b[i1])}. Functions are written by their names, loads
 * and domain indices as the caller prints them, with as few parentheses as Java's precedence allows.
 */
final class FormulaText {
    private static final int RELATIONAL = 1;
    private static final int ADDITIVE = 2;
    private static final int MULTIPLICATIVE = 3;
    private static final int UNARY = 4;
    private static final int PRIMARY = 5;

    private record Printed(String text, int precedence) {}

    private final Function<KExpr.Load, String> loadText;
    private final IntFunction<String> axisText;

    /**
     * @param loadText how to print a load, e.g. {@code b[i1]}
     * @param axisText how to print the index of a domain axis, e.g. {@code i1}
     */
    FormulaText(Function<KExpr.Load, String> loadText, IntFunction<String> axisText) {
        this.loadText = loadText;
        this.axisText = axisText;
    }

    String print(KExpr e) { return print0(e).text(); }

    private Printed print0(KExpr e) {
        return switch (e) {
            case KExpr.Load l -> new Printed(loadText.apply(l), PRIMARY);
            case KExpr.Const c -> {
                String text = FloatLiterals.source(c.value());
                yield new Printed(text, text.startsWith("-") ? UNARY : PRIMARY);
            }
            case KExpr.DimSize d -> {
                if (!d.symbol().equals("batch")) throw new IllegalArgumentException("unsupported symbolic dimension '" + d.symbol() + "'");
                yield new Printed("batch", PRIMARY);
            }
            case KExpr.Index i -> new Printed(axisText.apply(i.axis()), PRIMARY);
            case KExpr.Unary u -> switch (u.fn()) {
                case NEG -> new Printed("-" + operand(u.x(), PRIMARY), UNARY);
                default -> call(u.fn().text(), print(u.x()));
            };
            case KExpr.Binary b -> switch (b.fn()) {
                case ADD -> infix(b, "+", ADDITIVE);
                case SUB -> infix(b, "-", ADDITIVE);
                case MUL -> infix(b, "*", MULTIPLICATIVE);
                case DIV -> infix(b, "/", MULTIPLICATIVE);
                case GT -> comparison(operand(b.a(), ADDITIVE), ">", operand(b.b(), ADDITIVE));
                case GE -> comparison(operand(b.a(), ADDITIVE), ">=", operand(b.b(), ADDITIVE));
                case EQ -> comparison(operand(b.a(), ADDITIVE), "==", operand(b.b(), ADDITIVE));
                default -> call(b.fn().text(), print(b.a()), print(b.b()));
            };
            case KExpr.Select s -> call("where", print(s.cond()), print(s.a()), print(s.b()));
            case KExpr.OneHot h -> comparison(loadText.apply(h.indices()), "==", axisText.apply(h.axis()));
            case KExpr.Gather g -> call("gather", g.table().buffer().name(), loadText.apply(g.indices()));
        };
    }

    /** Left-associative infix operator: the right operand needs parentheses at equal precedence. */
    private Printed infix(KExpr.Binary b, String op, int precedence) {
        return new Printed(operand(b.a(), precedence) + " " + op + " " + operand(b.b(), precedence + 1), precedence);
    }

    private static Printed comparison(String a, String op, String b) {
        return new Printed(a + " " + op + " " + b, RELATIONAL);
    }

    private static Printed call(String name, String... args) {
        return new Printed(name + "(" + String.join(", ", List.of(args)) + ")", PRIMARY);
    }

    /** {@code e} printed as an operand that binds at least as tightly as {@code minPrecedence}. */
    private String operand(KExpr e, int minPrecedence) {
        Printed p = print0(e);
        return p.precedence() >= minPrecedence ? p.text() : "(" + p.text() + ")";
    }
}
