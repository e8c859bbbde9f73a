package nnc.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import nnc.emit.FloatLiterals;
import nnc.emit.LoopNest;
import nnc.ir.BinaryFn;
import nnc.ir.ScalarForm;
import nnc.ir.UnaryFn;
import nnc.kir.KExpr;
import nnc.runtime.kernels.Gathers;

/**
 * Prints a {@link KExpr} as a Java expression with as few parentheses as Java's precedence allows.
 * The printed tree is the expression's tree, and Java evaluates operands left to right, so the
 * float operations run exactly as the Kernel IR specifies. In {@link Mode#DESCRIPTION} it prints the
 * same tree for comments: {@code relu(x + b[i1])} instead of {@code Math.max(b3[o0] + b4[i1], 0f)}.
 */
final class ExprSource {
    /** Code to compile, or text for a comment. */
    enum Mode { CODE, DESCRIPTION }

    private static final ClassName GATHERS = ClassName.get(Gathers.class);
    private static final int TERNARY = 0;
    private static final int RELATIONAL = 1;
    private static final int ADDITIVE = 2;
    private static final int MULTIPLICATIVE = 3;
    private static final int UNARY = 4;
    private static final int PRIMARY = 5;

    private record Printed(CodeBlock code, int precedence) {}

    private final Mode mode;
    private final Function<KExpr.Load, String> loadText;
    private final IntFunction<String> axisText;
    private final Function<KExpr.Load, String> offsetText;

    /**
     * @param loadText how to print a load, e.g. {@code b3[o0 + i1]}
     * @param axisText how to print the index of a domain axis a one-hot term compares with
     */
    ExprSource(Mode mode, Function<KExpr.Load, String> loadText, IntFunction<String> axisText) {
        this(mode, loadText, axisText, null);
    }

    /** @param offsetText (code) how to print a load's offset alone, e.g. {@code o0 + i1}: a gather adds its row to it */
    private ExprSource(Mode mode, Function<KExpr.Load, String> loadText, IntFunction<String> axisText, Function<KExpr.Load, String> offsetText) {
        this.mode = mode;
        this.loadText = loadText;
        this.axisText = axisText;
        this.offsetText = offsetText;
    }

    /** Code reading each load at its offset in {@code nest}: {@code b3[o0 + x]}. */
    static ExprSource code(LoopNest nest) {
        return new ExprSource(Mode.CODE, l -> l.buffer().var() + "[" + nest.offset(l).text() + "]",
                axis -> nest.axisIndex(axis).text(), l -> nest.offset(l).text());
    }

    /** The offset of a gathered element: {@code Gathers.row(b2[o1], 50) * 32 + x}. */
    CodeBlock gatherOffset(KExpr.Gather g) {
        return CodeBlock.of("$T.row($L, $L) * $L + $L", GATHERS, loadText.apply(g.indices()), g.rows(), g.rowStride(),
                offsetText.apply(g.table()));
    }

    CodeBlock print(KExpr e) { return print0(e).code(); }

    private Printed print0(KExpr e) {
        return switch (e) {
            case KExpr.Load l -> new Printed(CodeBlock.of("$L", loadText.apply(l)), PRIMARY);
            case KExpr.Const c -> constant(c.value());
            case KExpr.DimSize d -> {
                if (!d.symbol().equals("batch")) throw new IllegalArgumentException("unsupported symbolic dimension '" + d.symbol() + "'");
                yield mode == Mode.CODE ? new Printed(CodeBlock.of("(float) batch"), UNARY) : new Printed(CodeBlock.of("batch"), PRIMARY);
            }
            case KExpr.Index i -> mode == Mode.CODE
                    ? new Printed(CodeBlock.of("(float) $L", axisText.apply(i.axis())), UNARY)
                    : new Printed(CodeBlock.of("$L", axisText.apply(i.axis())), PRIMARY);
            case KExpr.Unary u -> unary(u);
            case KExpr.Binary b -> binary(b);
            case KExpr.Select s -> mode == Mode.CODE
                    ? new Printed(CodeBlock.of("$L != 0f ? $L : $L", operand(s.cond(), ADDITIVE), operand(s.a(), RELATIONAL),
                            operand(s.b(), RELATIONAL)), TERNARY)
                    : call("where", print(s.cond()), print(s.a()), print(s.b()));
            case KExpr.OneHot h -> comparison(CodeBlock.of("$L", loadText.apply(h.indices())), "==",
                    CodeBlock.of("$L", axisText.apply(h.axis())));
            case KExpr.Gather g -> mode == Mode.CODE
                    ? new Printed(CodeBlock.of("$L[$L]", g.table().buffer().var(), gatherOffset(g)), PRIMARY)
                    : call("gather", CodeBlock.of("$L", g.table().buffer().name()), CodeBlock.of("$L", loadText.apply(g.indices())));
        };
    }

    private Printed constant(float v) {
        String text = FloatLiterals.source(v);
        return new Printed(CodeBlock.of("$L", text), text.startsWith("-") ? UNARY : PRIMARY);
    }

    private Printed unary(KExpr.Unary u) {
        return switch (u.fn().scalar()) {
            case ScalarForm.Call<UnaryFn.Inline> c -> runtimeCall(c.method(), u.fn().text(), print(u.x()));
            case ScalarForm.Inline<UnaryFn.Inline> in -> switch (in.op()) {
                case NEG -> new Printed(CodeBlock.of("-$L", operand(u.x(), PRIMARY)), UNARY);
                case RELU -> mode == Mode.CODE ? new Printed(CodeBlock.of("Math.max($L, 0f)", print(u.x())), PRIMARY) : call("relu", print(u.x()));
            };
        };
    }

    private Printed binary(KExpr.Binary b) {
        return switch (b.fn().scalar()) {
            case ScalarForm.Call<BinaryFn.Inline> c -> runtimeCall(c.method(), b.fn().text(), print(b.a()), print(b.b()));
            case ScalarForm.Inline<BinaryFn.Inline> in -> switch (in.op()) {
                case ADD -> infix(b, "+", ADDITIVE);
                case SUB -> infix(b, "-", ADDITIVE);
                case MUL -> infix(b, "*", MULTIPLICATIVE);
                case DIV -> infix(b, "/", MULTIPLICATIVE);
                case GT -> comparison(operand(b.a(), ADDITIVE), ">", operand(b.b(), ADDITIVE));
                case GE -> comparison(operand(b.a(), ADDITIVE), ">=", operand(b.b(), ADDITIVE));
                case EQ -> comparison(operand(b.a(), ADDITIVE), "==", operand(b.b(), ADDITIVE));
            };
        };
    }

    /** {@code ScalarMath.exp(x)} in code, {@code exp(x)} (the function's own name) in descriptions. */
    private Printed runtimeCall(Method method, String text, CodeBlock... args) {
        if (mode == Mode.DESCRIPTION) return call(text, args);
        return new Printed(CodeBlock.of("$T.$L($L)", method.getDeclaringClass(), method.getName(), CodeBlock.join(List.of(args), ", ")), PRIMARY);
    }

    /** Left-associative infix operator: the right operand needs parentheses at equal precedence. */
    private Printed infix(KExpr.Binary b, String op, int precedence) {
        return new Printed(CodeBlock.of("$L $L $L", operand(b.a(), precedence), op, operand(b.b(), precedence + 1)), precedence);
    }

    /** {@code a > b ? 1f : 0f} in code, {@code a > b} in descriptions. */
    private Printed comparison(CodeBlock a, String op, CodeBlock b) {
        return mode == Mode.CODE
                ? new Printed(CodeBlock.of("$L $L $L ? 1f : 0f", a, op, b), TERNARY)
                : new Printed(CodeBlock.of("$L $L $L", a, op, b), RELATIONAL);
    }

    private static Printed call(String name, CodeBlock... args) {
        return new Printed(CodeBlock.of("$L($L)", name, CodeBlock.join(List.of(args), ", ")), PRIMARY);
    }

    /** {@code e} printed as an operand that binds at least as tightly as {@code minPrecedence}. */
    private CodeBlock operand(KExpr e, int minPrecedence) {
        Printed p = print0(e);
        return p.precedence() >= minPrecedence ? p.code() : CodeBlock.of("($L)", p.code());
    }
}
