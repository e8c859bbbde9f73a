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
 * float operations run exactly as the Kernel IR specifies. (Comments print the
 * same tree as formulas, {@code relu(x + b[i1])}: {@code nnc.emit.FormulaText}.)
 */
final class ExprSource {
    private static final ClassName GATHERS = ClassName.get(Gathers.class);
    private static final int TERNARY = 0;
    private static final int RELATIONAL = 1;
    private static final int ADDITIVE = 2;
    private static final int MULTIPLICATIVE = 3;
    private static final int UNARY = 4;
    private static final int PRIMARY = 5;

    private record Printed(CodeBlock code, int precedence) {}

    private final Function<KExpr.Load, String> loadText;
    private final IntFunction<String> axisText;
    private final Function<KExpr.Load, String> offsetText;

    /**
     * @param loadText how to print a load, e.g. {@code b3[o0 + i1]}
     * @param axisText how to print the index of a domain axis a one-hot term compares with
     */
    /** @param offsetText (code) how to print a load's offset alone, e.g. {@code o0 + i1}: a gather adds its row to it */
    private ExprSource(Function<KExpr.Load, String> loadText, IntFunction<String> axisText, Function<KExpr.Load, String> offsetText) {
        this.loadText = loadText;
        this.axisText = axisText;
        this.offsetText = offsetText;
    }

    /** Code reading each load at its offset in {@code nest}: {@code b3[o0 + x]}. */
    static ExprSource code(LoopNest nest) {
        return new ExprSource(l -> l.buffer().var() + "[" + nest.offset(l).text() + "]",
                axis -> nest.axisIndex(axis).text(), l -> nest.offset(l).text());
    }

    /** The arguments of {@code VectorMath.oneHot}: the class index loaded, and the index of the one-hot's axis (the vector loop's first lane). */
    CodeBlock oneHotArguments(KExpr.OneHot h) {
        return CodeBlock.of("$L, $L", loadText.apply(h.indices()), axisText.apply(h.axis()));
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
                yield new Printed(CodeBlock.of("(float) batch"), UNARY);
            }
            case KExpr.Index i -> new Printed(CodeBlock.of("(float) $L", axisText.apply(i.axis())), UNARY);
            case KExpr.Unary u -> unary(u);
            case KExpr.Binary b -> binary(b);
            case KExpr.Select s -> new Printed(CodeBlock.of("$L != 0f ? $L : $L", operand(s.cond(), ADDITIVE),
                    operand(s.a(), RELATIONAL), operand(s.b(), RELATIONAL)), TERNARY);
            case KExpr.OneHot h -> comparison(CodeBlock.of("$L", loadText.apply(h.indices())), "==",
                    CodeBlock.of("$L", axisText.apply(h.axis())));
            case KExpr.Gather g -> new Printed(CodeBlock.of("$L[$L]", g.table().buffer().var(), gatherOffset(g)), PRIMARY);
        };
    }

    private Printed constant(float v) {
        String text = FloatLiterals.source(v);
        return new Printed(CodeBlock.of("$L", text), text.startsWith("-") ? UNARY : PRIMARY);
    }

    private Printed unary(KExpr.Unary u) {
        return switch (u.fn().scalar()) {
            case ScalarForm.Call<UnaryFn.Inline> c -> runtimeCall(c.method(), print(u.x()));
            case ScalarForm.Inline<UnaryFn.Inline> in -> switch (in.op()) {
                case NEG -> new Printed(CodeBlock.of("-$L", operand(u.x(), PRIMARY)), UNARY);
                case RELU -> new Printed(CodeBlock.of("Math.max($L, 0f)", print(u.x())), PRIMARY);
            };
        };
    }

    private Printed binary(KExpr.Binary b) {
        return switch (b.fn().scalar()) {
            case ScalarForm.Call<BinaryFn.Inline> c -> runtimeCall(c.method(), print(b.a()), print(b.b()));
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

    /** {@code ScalarMath.exp(x)}: the function's runtime method. */
    private Printed runtimeCall(Method method, CodeBlock... args) {
        return new Printed(CodeBlock.of("$T.$L($L)", method.getDeclaringClass(), method.getName(), CodeBlock.join(List.of(args), ", ")), PRIMARY);
    }

    /** Left-associative infix operator: the right operand needs parentheses at equal precedence. */
    private Printed infix(KExpr.Binary b, String op, int precedence) {
        return new Printed(CodeBlock.of("$L $L $L", operand(b.a(), precedence), op, operand(b.b(), precedence + 1)), precedence);
    }

    /** {@code a > b ? 1f : 0f}. */
    private static Printed comparison(CodeBlock a, String op, CodeBlock b) {
        return new Printed(CodeBlock.of("$L $L $L ? 1f : 0f", a, op, b), TERNARY);
    }

    /** {@code e} printed as an operand that binds at least as tightly as {@code minPrecedence}. */
    private CodeBlock operand(KExpr e, int minPrecedence) {
        Printed p = print0(e);
        return p.precedence() >= minPrecedence ? p.code() : CodeBlock.of("($L)", p.code());
    }
}
