package nnc.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import nnc.emit.BlockedSum;
import nnc.emit.LoopNest;
import nnc.emit.VectorPlan;
import nnc.ir.ReduceFn;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.runtime.kernels.Lanes;
import nnc.runtime.kernels.VectorWarmup;

/**
 * Writes a vectorised pointwise or reduce kernel (see {@link VectorPlan}): the outer loops as in
 * scalar mode, then the innermost loop as a {@code FloatVector} main loop to {@code loopBound} and a
 * scalar tail.
 */
final class VectorKernelSource {
    private static final ClassName LANES = ClassName.get(Lanes.class);
    /** By name: the compiler need not load the Vector API to print it. */
    private static final ClassName LANE_FOLDS = ClassName.get("nnc.runtime.kernels", "LaneFolds");

    private VectorKernelSource() {}

    /** Pointwise kernels over one domain (one kernel, or a fused kernel's parts in order at each point). */
    static void pointwise(CodeBlock.Builder code, List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan) {
        int outer = nest.loops().size() - 1;
        String offset = nest.outOffset().text();
        KernelSource.openLoops(code, nest, 0, outer);
        inner(code, nest, plan, VectorPlan.LANES,
                parts.stream().map(p -> CodeBlock.of("$L.intoArray($L, $L)", vector(p.value(), nest, plan), p.out().var(), offset)).toList(),
                List.of(),
                parts.stream().map(p -> CodeBlock.of("$L[$L] = $L", p.out().var(), offset, KernelSource.value(p.value(), nest))).toList());
        KernelSource.closeLoops(code, outer);
    }

    static void reduce(CodeBlock.Builder code, Kernel.Reduce r, LoopNest nest, VectorPlan plan) {
        reduce(code, r, nest, plan, false);
    }

    /**
     * A reduce kernel; with {@code scalarLanes} (lane accumulators only), the scalar twin of its vector
     * loop: the same 8 lanes in a {@code float[]}, point {@code x} folding into {@code lanes[x & 7]},
     * so it gives the vector loop's bits while the JIT warms up.
     *
     * <p>The vector loop folds as {@code lanes = value.op(lanes)}, not {@code lanes.op(value)}: where C2
     * parses the loop, {@code lanes} is a phi of declared type {@code FloatVector}, so a call on it is a
     * virtual call to {@code lanewise} that only a type profile can bind, while {@code value} comes from
     * a static factory of the constant species, whose class C2 knows. With a thin profile (the vector
     * loop ran once in {@link VectorWarmup#PROBE_MASK}+1 calls during the warm-up; {@code max(Vector)}
     * is called nowhere else) the call stayed virtual, the operation ran in the Vector API's Java
     * fallback, and char_rnn's reduce-max over its 50 logits allocated 425,984 bytes per step for the
     * rest of the run — in 4 of 8 JVMs started with {@code -Dnnc.inlining=directive} (JFR allocation
     * samples: {@code FloatVector.lambda$binaryOperations}, called from that loop). Addition and max
     * are commutative, so the bits are the same.
     */
    static void reduce(CodeBlock.Builder code, Kernel.Reduce r, LoopNest nest, VectorPlan plan, boolean scalarLanes) {
        String out = r.out().var();
        String identity = r.fn() == ReduceFn.SUM ? "0f" : "Float.NEGATIVE_INFINITY";
        String element = out + "[" + nest.outOffset().text() + "]";
        int outer = nest.loops().size() - 1;
        CodeBlock value = vector(r.value(), nest, plan);
        String op = r.fn() == ReduceFn.SUM ? "add" : "max";
        if (nest.accumulatesIntoOut()) code.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, nest.outSize().text(), identity);
        if (plan.kind() == VectorPlan.Kind.FOLD_IN_PLACE) {
            Optional<BlockedSum> blocked = BlockedSum.of(r, nest);
            if (blocked.isEmpty()) foldInPlace(code, r, nest, plan, out, 0);
            else KernelSource.blockedRows(code, nest, blocked.get(), out, () -> foldInPlace(code, r, nest, plan, KernelSource.PART, 1));
            return;
        }
        // the scalar twin's lanes: the calling thread's 8-float array, fetched once (the vector loop
        // folds its lanes in registers, LaneFolds)
        if (scalarLanes) code.addStatement("float[] lanes = $T.lanes()", VectorWarmup.class);
        KernelSource.openLoops(code, nest, 0, nest.accDepth());
        code.addStatement("float acc = $L", nest.accumulatesIntoOut() ? element : identity);
        KernelSource.openLoops(code, nest, nest.accDepth(), outer);
        if (scalarLanes) {
            code.addStatement("$T.fill(lanes, $L)", Arrays.class, identity);
        } else {
            code.addStatement("$T lanes = $T.broadcast(SPECIES, $L)", VectorExprSource.FLOAT_VECTOR, VectorExprSource.FLOAT_VECTOR, identity);
        }
        String fold = r.fn() == ReduceFn.SUM ? "sum" : "max";
        inner(code, nest, plan, scalarLanes ? 1 : VectorPlan.LANES,
                List.of(scalarLanes ? KernelSource.fold(r.fn(), "lanes[" + plan.inner().var() + " & " + (VectorPlan.LANES - 1) + "]",
                        KernelSource.value(r.value(), nest))
                        : CodeBlock.of("lanes = $L.$L(lanes)", value, op)), // the new vector is the receiver: see reduce's comment
                scalarLanes ? List.of(KernelSource.fold(r.fn(), "acc", CodeBlock.of("$T.$L(lanes)", LANES, fold)))
                        : List.of(CodeBlock.of("$T folded = lanes.$L(lanes.rearrange($T.HALVES))", VectorExprSource.FLOAT_VECTOR, op, LANE_FOLDS),
                                CodeBlock.of("folded = folded.$L(folded.rearrange($T.PAIRS))", op, LANE_FOLDS),
                                KernelSource.fold(r.fn(), "acc", CodeBlock.of("folded.$L(folded.rearrange($T.NEIGHBOURS)).lane(0)", op, LANE_FOLDS))),
                List.of(KernelSource.fold(r.fn(), "acc", KernelSource.value(r.value(), nest))));
        KernelSource.closeLoops(code, outer - nest.accDepth());
        code.addStatement("$L = acc", element);
        KernelSource.closeLoops(code, nest.accDepth());
    }

    /**
     * A fold in place from loop {@code from} inwards: the prologue's parts stored at the point, then
     * {@code target[o] = target[o] ⊕ value} ({@code target} the output, or a blocked sum's partials).
     */
    private static void foldInPlace(CodeBlock.Builder code, Kernel.Reduce r, LoopNest nest, VectorPlan plan, String target, int from) {
        int outer = nest.loops().size() - 1;
        String offset = nest.outOffset().text();
        String op = r.fn() == ReduceFn.SUM ? "add" : "max";
        KernelSource.openLoops(code, nest, from, outer);
        // the prologue's parts stored at the point first (the value may read them back)
        List<CodeBlock> body = new ArrayList<>(), tail = new ArrayList<>();
        for (Kernel.Pointwise p : r.prologue()) {
            String at = nest.offset(LoopNest.store(p)).text();
            body.add(CodeBlock.of("$L.intoArray($L, $L)", vector(p.value(), nest, plan), p.out().var(), at));
            tail.add(CodeBlock.of("$L[$L] = $L", p.out().var(), at, KernelSource.value(p.value(), nest)));
        }
        body.add(CodeBlock.of("$T.fromArray(SPECIES, $L, $L).$L($L).intoArray($L, $L)", VectorExprSource.FLOAT_VECTOR,
                target, offset, op, vector(r.value(), nest, plan), target, offset));
        tail.add(KernelSource.fold(r.fn(), target + "[" + offset + "]", KernelSource.value(r.value(), nest)));
        inner(code, nest, plan, VectorPlan.LANES, body, List.of(), tail);
        KernelSource.closeLoops(code, outer - from);
    }

    /** The innermost loop: vector main loop with {@code body}, then {@code between}, then the scalar tail: one statement each. */
    private static void inner(CodeBlock.Builder code, LoopNest nest, VectorPlan plan, int step, List<CodeBlock> body, List<CodeBlock> between,
                              List<CodeBlock> tail) {
        int depth = nest.loops().size() - 1;
        LoopNest.Loop loop = plan.inner();
        String x = loop.var();
        if (step == 1) code.addStatement("int $LBound = ($L) & -$L", x, loop.extent().text(), VectorPlan.LANES); // a scalar twin: SPECIES.loopBound without the species
        else code.addStatement("int $LBound = SPECIES.loopBound($L)", x, loop.extent().text());
        code.addStatement("int $L = 0", x);
        if (step == 1) code.beginControlFlow("for (; $1L < $1LBound; $1L++)", x);
        else code.beginControlFlow("for (; $1L < $1LBound; $1L += $2L)", x, step);
        for (LoopNest.OffsetVar o : nest.offsetsAt(depth)) code.addStatement("int $L = $L", o.name(), o.value().text());
        for (CodeBlock b : body) code.addStatement("$L", b);
        code.endControlFlow();
        for (CodeBlock b : between) code.addStatement("$L", b);
        code.beginControlFlow("for (; $1L < $2L; $1L++)", x, loop.extent().text());
        for (LoopNest.OffsetVar o : nest.offsetsAt(depth)) code.addStatement("int $L = $L", o.name(), o.value().text());
        for (CodeBlock b : tail) code.addStatement("$L", b);
        code.endControlFlow();
    }

    private static CodeBlock vector(KExpr e, LoopNest nest, VectorPlan plan) {
        return new VectorExprSource(plan, nest, ExprSource.code(nest)).print(e);
    }
}
