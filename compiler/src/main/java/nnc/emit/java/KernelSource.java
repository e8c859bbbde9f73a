package nnc.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.Arrays;
import javax.lang.model.element.Modifier;
import nnc.emit.IntExpr;
import nnc.emit.KernelMethod;
import nnc.emit.LoopNest;
import nnc.emit.Stage;
import nnc.emit.VectorPlan;
import nnc.ir.ReduceFn;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.runtime.DType;
import nnc.runtime.kernels.Gemm;
import nnc.runtime.kernels.VectorWarmup;

/** Writes one kernel as a {@code private static} method of the generated source, following its {@link LoopNest}. */
final class KernelSource {
    private static final ClassName GEMM = ClassName.get(Gemm.class);

    private KernelSource() {}

    /** @param origin {@code FILE.nn:LINE} of the statement the kernel computes, or null */
    static MethodSpec method(KernelMethod km, boolean simd, String origin) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(km.name())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L\n", JavaText.javadoc(KernelDescription.describe(km.kernel(), km.params()))
                        + (origin == null ? "" : "\nfrom " + JavaText.comment(origin))); // one line, which NnLineTable reads back
        CodeBlock.Builder code = CodeBlock.builder();
        if (km.takesTables()) { // more buffers than a method takes: the tables, then a local per buffer
            m.addParameter(float[][].class, "f").addParameter(int[][].class, "i");
            for (Buffer b : km.params())
                code.addStatement("$L[] $L = $L[$L]", b.dtype() == DType.F32 ? "float" : "int", b.var(), b.dtype() == DType.F32 ? "f" : "i", b.id());
        } else {
            for (Buffer b : km.params()) m.addParameter(b.dtype() == DType.F32 ? float[].class : int[].class, b.var());
        }
        m.addParameter(int.class, "batch");
        switch (km.kernel()) {
            case Kernel.MatMul mm when mm.isBatched() -> code.addStatement("$T.matmul($L, $L, $L, $L, $L, $L, $L, $L, $L)",
                    nnc.runtime.kernels.BatchedGemm.class, mm.transA(), mm.transB(), size(mm.batch()), size(mm.m()), size(mm.n()), size(mm.k()),
                    mm.a().var(), mm.b().var(), mm.out().var());
            case Kernel.WithEpilogue w -> stages(code, km.name(), java.util.stream.Stream.concat(java.util.stream.Stream.of(w.head()), w.stages().stream())
                    .map(s -> stage(code, s, simd)).toList());
            case Kernel.Pointwise p -> stages(code, km.name(), java.util.List.of(stage(code, p, simd)));
            case Kernel.Fused f -> stages(code, km.name(), java.util.List.of(stage(code, f, simd)));
            case Kernel.Reduce r -> stages(code, km.name(), java.util.List.of(stage(code, r, simd)));
            case Kernel.MatMul mm -> stages(code, km.name(), java.util.List.of(stage(code, mm, simd)));
            // conv branch: a runtime library call
            case Kernel.Call c -> {
                StringBuilder args = new StringBuilder();
                for (nnc.kir.Buffer b : c.arrays()) args.append(b == null ? "null" : b.var()).append(", ");
                args.append(size(c.n()));
                for (int v : c.sizes()) args.append(", ").append(v);
                code.addStatement("$T.$L($L)", nnc.runtime.kernels.SpatialCalls.class, c.fn().routine(), args.toString());
            }
            case Kernel.Loop l -> loop(code, l, km.body());
            case Kernel.StepCopy c -> throw new IllegalArgumentException("a step copy is written inside its loop's method");
            // gather branch: a runtime scatter-add
            case Kernel.ScatterAdd s -> code.addStatement("$T.scatterAdd($L, $L, $L, $L, $L, $L)", nnc.runtime.kernels.Gathers.class,
                    s.values().var(), s.indices().var(), s.out().var(), IntExpr.of(s.positions()).text(), s.rows(), s.cols());
        }
        return m.addCode(code.build()).build();
    }

    /**
     * {@code for (int s = 0; s < STEPS; s++) { int t = s; …body… }} ({@code t = STEPS - 1 - s} when
     * reversed): step copies as {@code System.arraycopy}, other body kernels as calls of their methods.
     */
    private static void loop(CodeBlock.Builder code, Kernel.Loop l, java.util.List<KernelMethod> body) {
        code.beginControlFlow("for (int s = 0; s < $L; s++)", l.steps());
        code.addStatement("int t = $L", l.reverse() ? (l.steps() - 1) + " - s" : "s");
        for (KernelMethod bm : body) {
            if (bm.kernel() instanceof Kernel.StepCopy c) {
                String len = IntExpr.of(c.length()).text();
                code.addStatement("System.arraycopy($L, $L, $L, $L, $L)", c.from().var(), c.fromStepped() ? "t * (" + len + ")" : "0",
                        c.to().var(), c.toStepped() ? "t * (" + len + ")" : "0", len);
            } else {
                StringBuilder args = new StringBuilder();
                for (Buffer b : bm.params()) args.append(b.var()).append(", ");
                code.addStatement("$L($Lbatch)", bm.name(), args.toString());
            }
        }
        code.endControlFlow();
    }

    /**
     * the scalar twin (then {@code return}) when the inner loop is short ({@code E < MIN_LENGTH}) or
     * during the warm-up ({@code NAMECalls < scalarCalls}, counted here) except on every 16th call
     * ({@code PROBE_MASK}), which runs the vector loops. The test is branch-free arithmetic and one
     * {@code if}, whose two ways both run during the warm-up: so C2's profile never has a one-way
     * branch that flips later (at the end of the warm-up, or on an epoch's short last batch) and
     * deoptimises the kernel back into the slow, allocating Vector API fallback.
     * {@code {int nncCalls = NAMECalls, nncWarm = (nncCalls - scalarCalls) >>> 31; NAMECalls = nncCalls += nncWarm;
     * if (((E - MIN_LENGTH) >>> 31 | (nncWarm & (((nncCalls & PROBE_MASK) - 1) >>> 31 ^ 1))) != 0) { scalar twin; return; }}} ({@link VectorWarmup}): the scalar twin (same bits) for short inner loops and
     * while the JIT warms up; the class declares the counter field.
     */
    private static void warmUpWithScalarLoops(CodeBlock.Builder code, String name, IntExpr extent, Runnable scalar) {
        code.addStatement("int nncCalls = $LCalls, nncWarm = (nncCalls - $T.scalarCalls) >>> 31", name, VectorWarmup.class);
        code.addStatement("$LCalls = nncCalls += nncWarm", name);
        code.beginControlFlow("if ((($L - $T.MIN_LENGTH) >>> 31 | (nncWarm & (((nncCalls & $T.PROBE_MASK) - 1) >>> 31 ^ 1))) != 0)",
                extent.text(), VectorWarmup.class, VectorWarmup.class);
        scalar.run();
        code.addStatement("return");
        code.endControlFlow();
    }

    /** The stages in one method ({@link Stage#emit}), under the warm-up test when one has a vector plan. */
    private static void stages(CodeBlock.Builder code, String name, java.util.List<Stage> stages) {
        Stage.emit(stages, (extent, scalar) -> warmUpWithScalarLoops(code, name, extent, scalar));
    }

    private static Stage stage(CodeBlock.Builder code, Kernel k, boolean simd) {
        return switch (k) {
            case Kernel.Pointwise p -> pointwiseStage(code, java.util.List.of(p), simd);
            case Kernel.Fused f -> pointwiseStage(code, f.parts(), simd);
            case Kernel.Reduce r -> {
                LoopNest nest = LoopNest.of(r);
                var plan = simd ? VectorPlan.of(r, nest) : java.util.Optional.<VectorPlan>empty();
                if (plan.isEmpty()) yield Stage.scalarOnly(() -> reduce(code, r, nest));
                VectorPlan vp = plan.get();
                yield new Stage(vp.inner().extent(), vp.kind() == VectorPlan.Kind.FOLD_IN_PLACE
                        ? () -> reduce(code, r, nest)
                        : () -> VectorKernelSource.reduce(code, r, nest, vp, true), () -> VectorKernelSource.reduce(code, r, nest, vp));
            }
            case Kernel.MatMul mm when !mm.isBatched() -> Stage.scalarOnly(() -> code.addStatement("$T.matmul($L, $L, $L, $L, $L, $L, 0, $L, 0, $L, 0)", GEMM,
                    mm.transA(), mm.transB(), size(mm.m()), size(mm.n()), size(mm.k()), mm.a().var(), mm.b().var(), mm.out().var()));
            default -> throw new IllegalArgumentException("not a stage of a method: " + k);
        };
    }

    /** Pointwise kernels over one domain in one nest (one kernel, a fused kernel's parts, or an epilogue). */
    private static Stage pointwiseStage(CodeBlock.Builder code, java.util.List<Kernel.Pointwise> parts, boolean simd) {
        LoopNest nest = LoopNest.of(parts);
        var plan = simd ? VectorPlan.of(parts, nest) : java.util.Optional.<VectorPlan>empty();
        if (plan.isEmpty()) return Stage.scalarOnly(() -> pointwise(code, parts, nest));
        return new Stage(plan.get().inner().extent(), () -> pointwise(code, parts, nest), () -> VectorKernelSource.pointwise(code, parts, nest, plan.get()));
    }

    private static void pointwise(CodeBlock.Builder code, java.util.List<Kernel.Pointwise> parts, LoopNest nest) {
        int depth = nest.loops().size();
        openLoops(code, nest, 0, depth);
        for (Kernel.Pointwise p : parts) code.addStatement("$L[$L] = $L", p.out().var(), nest.outOffset().text(), value(p.value(), nest));
        closeLoops(code, depth);
    }

    private static void reduce(CodeBlock.Builder code, Kernel.Reduce r, LoopNest nest) {
        String out = r.out().var();
        String identity = r.fn() == ReduceFn.SUM ? "0f" : "Float.NEGATIVE_INFINITY";
        String element = out + "[" + nest.outOffset().text() + "]";
        int depth = nest.loops().size();
        if (nest.accumulatesIntoOut()) code.addStatement("$T.fill($L, 0, $L, $L)", Arrays.class, out, nest.outSize().text(), identity);
        if (nest.foldsInPlace()) {
            openLoops(code, nest, 0, depth);
            for (Kernel.Pointwise p : r.prologue())
                code.addStatement("$L[$L] = $L", p.out().var(), nest.offset(LoopNest.store(p)).text(), value(p.value(), nest));
            code.addStatement("$L", fold(r.fn(), element, value(r.value(), nest)));
            closeLoops(code, depth);
            return;
        }
        openLoops(code, nest, 0, nest.accDepth());
        code.addStatement("float acc = $L", nest.accumulatesIntoOut() ? element : identity);
        openLoops(code, nest, nest.accDepth(), depth);
        code.addStatement("$L", fold(r.fn(), "acc", value(r.value(), nest)));
        closeLoops(code, depth - nest.accDepth());
        code.addStatement("$L = acc", element);
        closeLoops(code, nest.accDepth());
    }

    /** {@code target += v} or {@code target = Math.max(target, v)}. */
    static CodeBlock fold(ReduceFn fn, String target, CodeBlock v) {
        return fn == ReduceFn.SUM ? CodeBlock.of("$L += $L", target, v) : CodeBlock.of("$1L = Math.max($1L, $2L)", target, v);
    }

    /** Opens loops {@code [from, to)} of the nest, each followed by the offsets it completes. */
    static void openLoops(CodeBlock.Builder code, LoopNest nest, int from, int to) {
        for (int d = from; d < to; d++) {
            LoopNest.Loop loop = nest.loops().get(d);
            if (loop.axes().size() > 1)
                code.add("// $L walks axes $L as one run: every access is contiguous across them\n", JavaText.comment(loop.var()), JavaText.comment(loop.axes().toString()));
            code.beginControlFlow("for (int $1L = 0; $1L < $2L; $1L++)", loop.var(), loop.extent().text());
            for (LoopNest.OffsetVar o : nest.offsetsAt(d)) code.addStatement("int $L = $L", o.name(), o.value().text());
        }
    }

    static void closeLoops(CodeBlock.Builder code, int count) {
        for (int k = 0; k < count; k++) code.endControlFlow();
    }

    static CodeBlock value(nnc.kir.KExpr e, LoopNest nest) {
        return ExprSource.code(nest).print(e);
    }

    private static String size(nnc.types.Dim d) { return IntExpr.of(d.asSize()).text(); }
}
