package nnc.check;

import java.util.OptionalDouble;
import java.util.function.Consumer;
import nnc.syntax.Ast;

/** Folds expressions made only of number literals ({@code 1/255}, {@code -1}, {@code 2^-3}) to their value. */
final class ConstEval {
    private ConstEval() {}

    static OptionalDouble eval(Ast.Expr e) {
        if (e instanceof Ast.NumberLit n) return OptionalDouble.of(n.value());
        if (e instanceof Ast.Negate n) {
            OptionalDouble v = eval(n.operand());
            return v.isPresent() ? OptionalDouble.of(-v.getAsDouble()) : v;
        }
        if (e instanceof Ast.BinaryExpr b) {
            OptionalDouble l = eval(b.left()), r = eval(b.right());
            if (l.isEmpty() || r.isEmpty() || b.op().equals("@")) return OptionalDouble.empty();
            double x = l.getAsDouble(), y = r.getAsDouble();
            return OptionalDouble.of(switch (b.op()) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> x / y;
                case "^" -> Math.pow(x, y);
                case ">" -> x > y ? 1 : 0;
                case ">=" -> x >= y ? 1 : 0;
                case "<" -> x < y ? 1 : 0;
                case "<=" -> x <= y ? 1 : 0;
                case "==" -> x == y ? 1 : 0;
                default -> throw new IllegalStateException("unknown operator " + b.op());
            });
        }
        return OptionalDouble.empty();
    }

    static boolean isConstant(Ast.Expr e) { return eval(e).isPresent(); }

    /** Every node of a constant expression, for callers that record their types. */
    static void forEachNode(Ast.Expr e, Consumer<Ast.Expr> f) {
        f.accept(e);
        if (e instanceof Ast.Negate n) {
            forEachNode(n.operand(), f);
        } else if (e instanceof Ast.BinaryExpr b) {
            forEachNode(b.left(), f);
            forEachNode(b.right(), f);
        }
    }

    /** A value as the user wrote it in a message: 3, 0.5, 1.0E-8. */
    static String show(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
