package nnc.emit.java;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import javax.lang.model.element.Modifier;
import nnc.emit.BlockedSum;
import nnc.emit.IntExpr;
import nnc.emit.KernelDescription;
import nnc.emit.KernelDispatch;
import nnc.emit.KernelMethod;
import nnc.emit.KernelWriter;
import nnc.emit.LoopNest;
import nnc.emit.VectorPlan;
import nnc.ir.ReduceFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.MatrixViews;
import nnc.runtime.DType;
import nnc.runtime.kernels.BatchedGemm;
import nnc.runtime.kernels.BlockedSums;
import nnc.runtime.kernels.Gathers;
import nnc.runtime.kernels.Gemm;
import nnc.runtime.kernels.SpatialCalls;
import nnc.runtime.kernels.VectorWarmup;

/**
 * Writes one kernel as a {@code private static} method of the generated source: the statements
 * {@link KernelDispatch} chooses, each as Java source.
 */
final class KernelSource implements KernelWriter {
    private static final ClassName GEMM = ClassName.get(Gemm.class);

    private final CodeBlock.Builder code;
    private final String name;
    private final KernelMethod km;
    /** Where the method's vector loops go: methods of the nested class {@code Simd}. */
    private final List<MethodSpec> simdMethods;

    private KernelSource(CodeBlock.Builder code, KernelMethod km, List<MethodSpec> simdMethods) {
        this.code = code;
        this.name = km.name();
        this.km = km;
        this.simdMethods = simdMethods;
    }

    /**
     * The method of {@code km}; its vector loops, if any, as a method added to {@code simdMethods}
     * (for the nested class {@code Simd}).
     *
     * @param origin {@code FILE.nn:LINE} of the statement the kernel computes, or null
     */
    static MethodSpec method(KernelMethod km, boolean simd, String origin, List<MethodSpec> simdMethods) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(km.name())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("$L\n", JavaText.javadoc(KernelDescription.describe(km.kernel(), km.params()))
                        + (origin == null ? "" : "\nfrom " + JavaText.comment(origin)));
        CodeBlock.Builder code = CodeBlock.builder();
        if (km.takesTables()) { // more buffers than a method takes: the tables, then a local per buffer
            m.addParameter(float[][].class, "f").addParameter(int[][].class, "i");
            for (Buffer b : km.params())
                code.addStatement("$L[] $L = $L[$L]", b.dtype() == DType.F32 ? "float" : "int", b.var(), b.dtype() == DType.F32 ? "f" : "i", b.id());
        } else {
            for (Buffer b : km.params()) m.addParameter(b.dtype() == DType.F32 ? float[].class : int[].class, b.var());
        }
        m.addParameter(int.class, "batch");
        KernelDispatch.write(km, simd, new KernelSource(code, km, simdMethods));
        return m.addCode(code.build()).build();
    }

    @Override public void vectorMethod(Consumer<KernelWriter> stages) {
        if (km.takesTables()) throw new IllegalStateException(name + ": a loop's method has no vector loops");
        MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.STATIC)
                .addJavadoc("The vector loops of {@code $L} (loaded only with {@code jdk.incubator.vector}).\n", name);
        StringBuilder args = new StringBuilder();
        for (Buffer b : km.params()) {
            m.addParameter(b.dtype() == DType.F32 ? float[].class : int[].class, b.var());
            args.append(b.var()).append(", ");
        }
        m.addParameter(int.class, "batch");
        CodeBlock.Builder vector = CodeBlock.builder();
        stages.accept(new KernelSource(vector, km, simdMethods));
        CodeBlock body = vector.build();
        // MethodHandle.invokeExact declares Throwable; the lane functions throw nothing else
        if (body.toString().contains(VectorExprSource.LANE_CALLS.simpleName() + "."))
            body = CodeBlock.builder().beginControlFlow("try").add(body).nextControlFlow("catch ($T t)", Throwable.class)
                    .addStatement("throw $T.rethrow(t)", VectorExprSource.LANE_CALLS).endControlFlow().build();
        simdMethods.add(m.addCode(body).build());
        code.addStatement("Simd.$L($Lbatch)", name, args.toString());
    }

    @Override public void batchedMatmul(Kernel.MatMul mm, IntExpr count, IntExpr rows, IntExpr cols, IntExpr depth) {
        MatrixViews v = mm.views();
        if (v != null) {
            code.addStatement("$T.matmul($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", BatchedGemm.class,
                    mm.transA(), mm.transB(), count.text(), v.heads(), rows.text(), cols.text(), depth.text(),
                    mm.a().var(), v.a().outer(), v.a().inner(), v.a().row(), mm.b().var(), v.b().outer(), v.b().inner(), v.b().row(),
                    mm.out().var(), v.out().outer(), v.out().inner(), v.out().row());
            return;
        }
        code.addStatement("$T.matmul($L, $L, $L, $L, $L, $L, $L, $L, $L)", BatchedGemm.class, mm.transA(), mm.transB(),
                count.text(), rows.text(), cols.text(), depth.text(), mm.a().var(), mm.b().var(), mm.out().var());
    }

    @Override public void matmul(Kernel.MatMul mm, IntExpr rows, IntExpr cols, IntExpr depth) {
        code.addStatement("$T.matmul($L, $L, $L, $L, $L, $L, 0, $L, 0, $L, 0)", GEMM,
                mm.transA(), mm.transB(), rows.text(), cols.text(), depth.text(), mm.a().var(), mm.b().var(), mm.out().var());
    }

    @Override public void libraryCall(Kernel.Call c, IntExpr n) {
        StringBuilder args = new StringBuilder();
        for (Buffer b : c.arrays()) args.append(b == null ? "null" : b.var()).append(", ");
        args.append(n.text());
        for (int v : c.sizes()) args.append(", ").append(v);
        code.addStatement("$T.$L($L)", SpatialCalls.class, c.fn().routine(), args.toString());
    }

    @Override public void scatterAdd(Kernel.ScatterAdd s, IntExpr positions) {
        code.addStatement("$T.scatterAdd($L, $L, $L, $L, $L, $L)", Gathers.class,
                s.values().var(), s.indices().var(), s.out().var(), positions.text(), s.rows(), s.cols());
    }

    @Override public void beginLoop(Kernel.Loop l) {
        code.beginControlFlow("for (int s = 0; s < $L; s++)", l.steps());
        code.addStatement("int t = $L", l.reverse() ? (l.steps() - 1) + " - s" : "s");
    }

    @Override public void stepCopy(Kernel.StepCopy c, IntExpr length) {
        String len = length.text();
        code.addStatement("System.arraycopy($L, $L, $L, $L, $L)", c.from().var(), c.fromStepped() ? "t * (" + len + ")" : "0",
                c.to().var(), c.toStepped() ? "t * (" + len + ")" : "0", len);
    }

    @Override public void callBody(KernelMethod body) {
        StringBuilder args = new StringBuilder();
        for (Buffer b : body.params()) args.append(b.var()).append(", ");
        code.addStatement("$L($Lbatch)", body.name(), args.toString());
    }

    @Override public void endLoop() { code.endControlFlow(); }

    /**
     * the scalar twin (then {@code return}) when the inner loop is short ({@code E < MIN_LENGTH}) or
     * during the warm-up ({@code NAMECalls < scalarCalls}, counted here) except on every 16th call
     * ({@code PROBE_MASK}), which runs the vector loops. The test is branch-free arithmetic and one
     * {@code if}, whose two ways both run during the warm-up: so C2's profile never has a one-way
     * branch that flips later (at the end of the warm-up, or on an epoch's short last batch) and
     * deoptimises the kernel back into the slow, allocating Vector API fallback.
     * {@code {int nncCalls = NAMECalls, nncWarm = (nncCalls - scalarCalls) >>> 31; NAMECalls = nncCalls += nncWarm;
     * if (((E - MIN_LENGTH) >>> 31 | NO_VECTORS | (nncWarm & (((nncCalls & PROBE_MASK) - 1) >>> 31 ^ 1))) != 0) { scalar twin; return; }}}
     * ({@link VectorWarmup}): the scalar twin (same bits) for short inner loops, while the JIT warms
     * up, and always in a JVM without {@code jdk.incubator.vector}; the class declares the counter field.
     */
    @Override public void warmUpWithScalarLoops(IntExpr extent, Runnable scalarLoops) {
        code.addStatement("int nncCalls = $LCalls, nncWarm = (nncCalls - $T.scalarCalls) >>> 31", name, VectorWarmup.class);
        code.addStatement("$LCalls = nncCalls += nncWarm", name);
        code.beginControlFlow("if ((($L - $T.MIN_LENGTH) >>> 31 | $T.NO_VECTORS | (nncWarm & (((nncCalls & $T.PROBE_MASK) - 1) >>> 31 ^ 1))) != 0)",
                extent.text(), VectorWarmup.class, VectorWarmup.class, VectorWarmup.class);
        scalarLoops.run();
        code.addStatement("return");
        code.endControlFlow();
    }

    @Override public void pointwise(List<Kernel.Pointwise> parts, LoopNest nest) { pointwise(code, parts, nest); }

    @Override public void vectorPointwise(List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan) {
        VectorKernelSource.pointwise(code, parts, nest, plan);
    }

    @Override public void reduce(Kernel.Reduce r, LoopNest nest) { reduce(code, r, nest); }

    @Override public void vectorReduce(Kernel.Reduce r, LoopNest nest, VectorPlan plan, boolean scalarLanes) {
        VectorKernelSource.reduce(code, r, nest, plan, scalarLanes);
    }

    private static void pointwise(CodeBlock.Builder code, List<Kernel.Pointwise> parts, LoopNest nest) {
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
            Optional<BlockedSum> blocked = BlockedSum.of(r, nest);
            String target = blocked.isPresent() ? PART + "[" + nest.outOffset().text() + "]" : element;
            Runnable loops = () -> {
                openLoops(code, nest, blocked.isPresent() ? 1 : 0, depth);
                for (Kernel.Pointwise p : r.prologue())
                    code.addStatement("$L[$L] = $L", p.out().var(), nest.offset(LoopNest.store(p)).text(), value(p.value(), nest));
                code.addStatement("$L", fold(r.fn(), target, value(r.value(), nest)));
                closeLoops(code, depth - (blocked.isPresent() ? 1 : 0));
            };
            if (blocked.isPresent()) blockedRows(code, nest, blocked.get(), out, loops);
            else loops.run();
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

    /** The local holding a blocked sum's partial sums ({@link BlockedSum}). */
    static final String PART = "nncPart";

    /**
     * A blocked sum's outermost loop in blocks of rows ({@link BlockedSum}): {@code inner} writes the
     * loops inside it, folding into {@link #PART}.
     */
    static void blockedRows(CodeBlock.Builder code, LoopNest nest, BlockedSum b, String out, Runnable inner) {
        String v = b.rows().var(), extent = b.rows().extent().text(), size = nest.outSize().text();
        code.addStatement("float[] $L = $T.partials($L)", PART, BlockedSums.class, size);
        code.beginControlFlow("for (int $1LBlock = 0; $1LBlock < $2L; $1LBlock += $3L)", v, extent, BlockedSums.BLOCK);
        code.addStatement("int $1LEnd = Math.min($1LBlock + $2L, $3L)", v, BlockedSums.BLOCK, extent);
        code.addStatement("$T.fill($L, 0, $L, 0f)", Arrays.class, PART, size);
        code.beginControlFlow("for (int $1L = $1LBlock; $1L < $1LEnd; $1L++)", v);
        for (LoopNest.OffsetVar o : nest.offsetsAt(0)) code.addStatement("int $L = $L", o.name(), o.value().text());
        inner.run();
        code.endControlFlow();
        code.addStatement("$T.addInto($L, $L, $L)", BlockedSums.class, out, PART, size);
        code.endControlFlow();
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

    static CodeBlock value(KExpr e, LoopNest nest) {
        return ExprSource.code(nest).print(e);
    }
}
