package nnc.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.List;
import java.util.Optional;
import nnc.emit.ExactReciprocal;
import nnc.emit.LoopNest;
import nnc.emit.VectorPlan;
import nnc.ir.BinaryFn;
import nnc.ir.LaneForm;
import nnc.ir.UnaryFn;
import nnc.kir.KExpr;
import nnc.runtime.kernels.VectorMath;

/**
 * Prints a {@link KExpr} as a {@code FloatVector} expression for the main loop of a vectorised
 * kernel: varying loads as {@code FloatVector.fromArray(SPECIES, b3, o0 + x)}, invariant subtrees as
 * scalar code broadcast with {@code FloatVector.broadcast(SPECIES, …)}, and one lanewise method per
 * operation, so each lane performs the float operations of the scalar expression.
 */
final class VectorExprSource {
    static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
    static final ClassName OPERATORS = ClassName.get("jdk.incubator.vector", "VectorOperators");

    private final VectorPlan plan;
    private final LoopNest nest;
    private final ExprSource scalar;

    VectorExprSource(VectorPlan plan, LoopNest nest, ExprSource scalar) {
        this.plan = plan;
        this.nest = nest;
        this.scalar = scalar;
    }

    CodeBlock print(KExpr e) {
        if (!plan.varies(e)) return CodeBlock.of("$T.broadcast(SPECIES, $L)", FLOAT_VECTOR, scalar.print(e));
        return switch (e) {
            case KExpr.Load l -> CodeBlock.of("$T.fromArray(SPECIES, $L, $L)", FLOAT_VECTOR, l.buffer().var(), nest.offset(l).text());
            case KExpr.Unary u -> unary(u);
            case KExpr.Binary b -> binary(b);
            case KExpr.Const c -> throw new IllegalStateException("constants do not vary");
            case KExpr.DimSize d -> throw new IllegalStateException("sizes do not vary");
            // lane L: the loaded class index == the first lane's index + L (VectorPlan accepts no other one-hot)
            case KExpr.OneHot h -> lateCall("oneHot", scalar.oneHotArguments(h));
            case KExpr.Index i -> throw new IllegalStateException("indices along the vector axis are not vectorised");
            // one condition for every lane: only the chosen branch runs
            case KExpr.Select s when !plan.varies(s.cond()) -> CodeBlock.of("(($L) != 0f ? $L : $L)", scalar.print(s.cond()), print(s.a()), print(s.b()));
            case KExpr.Select s -> lateCall("select", print(s.cond()), print(s.a()), print(s.b()));
            // 8 consecutive columns of the picked row
            case KExpr.Gather g -> CodeBlock.of("$T.fromArray(SPECIES, $L, $L)", FLOAT_VECTOR, g.table().buffer().var(), scalar.gatherOffset(g));
        };
    }

    private CodeBlock unary(KExpr.Unary u) {
        CodeBlock x = print(u.x());
        return switch (u.fn().lanes()) {
            case LaneForm.Call<UnaryFn.LaneInline> c -> laneCall(c, x);
            case LaneForm.Inline<UnaryFn.LaneInline> in -> switch (in.op()) {
                case NEG -> CodeBlock.of("$L.neg()", x);
                case ABS -> CodeBlock.of("$L.abs()", x);
                case SQRT -> CodeBlock.of("$L.sqrt()", x);
                case RELU -> CodeBlock.of("$L.max(0f)", x);
                // x is written twice: C2 computes it once (its vector operations are pure)
                case FLUSH -> CodeBlock.of("$L.blend(0f, $L.abs().compare($T.LT, Float.MIN_NORMAL))", x, x, OPERATORS);
            };
            case LaneForm.None<UnaryFn.LaneInline> none -> throw new IllegalStateException(u.fn().text() + " has no lane form");
        };
    }

    private CodeBlock binary(KExpr.Binary b) {
        CodeBlock x = print(b.a());
        Optional<Float> reciprocal = b.fn() == BinaryFn.DIV ? ExactReciprocal.of(b.b()) : Optional.empty();
        if (reciprocal.isPresent()) return CodeBlock.of("$L.mul($L)", x, print(new KExpr.Const(reciprocal.get())));
        CodeBlock y = print(b.b());
        return switch (b.fn().lanes()) {
            case LaneForm.Call<BinaryFn.LaneInline> c -> laneCall(c, x, y);
            case LaneForm.Inline<BinaryFn.LaneInline> in -> switch (in.op()) {
                case ADD -> CodeBlock.of("$L.add($L)", x, y);
                case SUB -> CodeBlock.of("$L.sub($L)", x, y);
                case MUL -> CodeBlock.of("$L.mul($L)", x, y);
                case DIV -> CodeBlock.of("$L.div($L)", x, y);
                case MAX -> CodeBlock.of("$L.max($L)", x, y);
                case MIN -> CodeBlock.of("$L.min($L)", x, y);
                case GT, GE, EQ -> CodeBlock.of("$T.zero(SPECIES).blend(1f, $L.compare($T.$L, $L))", FLOAT_VECTOR, x, OPERATORS, in.op().name(), y);
            };
            case LaneForm.None<BinaryFn.LaneInline> none -> throw new IllegalStateException(b.fn().text() + " is not vectorised");
        };
    }

    /** {@code VectorMath.exp(x)}, called through its handle in {@code LaneCalls} (see there). */
    private static CodeBlock laneCall(LaneForm.Call<?> c, CodeBlock... args) {
        if (c.owner() != VectorMath.class) throw new IllegalStateException("no handle for " + c.owner().getSimpleName() + "." + c.name());
        return lateCall(c.name(), args);
    }

    /** By name: the compiler need not load the Vector API to print it. */
    static final ClassName LANE_CALLS = ClassName.get("nnc.runtime.kernels", "LaneCalls");

    /**
     * {@code ((FloatVector) LaneCalls.NAME.invokeExact(args))}: {@code VectorMath.NAME(args)} through its
     * constant handle, so that C2 inlines it after the kernel's parse. The method around it catches
     * {@code Throwable} ({@link KernelSource#vectorMethod}).
     */
    private static CodeBlock lateCall(String name, CodeBlock... args) {
        return CodeBlock.of("(($T) $T.$L.invokeExact($L))", FLOAT_VECTOR, LANE_CALLS, name, CodeBlock.join(List.of(args), ", "));
    }
}
