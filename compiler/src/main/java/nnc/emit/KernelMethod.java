package nnc.emit;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.kir.MethodLimits;
import nnc.runtime.DType;

/**
 * One kernel as a {@code private static void name(params…, int batch)} method of the generated class.
 *
 * @param params the buffers the kernel reads or writes, by increasing id, each passed as
 *               {@code float[]} or {@code int[]} and named {@link Buffer#var()}
 */
public record KernelMethod(String name, Kernel kernel, List<Buffer> params, List<KernelMethod> body) {
    /** Buffers a method takes at most ({@link MethodLimits}): the merging passes stop before a kernel would take more. */
    public static final int MAX_BUFFER_PARAMS = MethodLimits.MAX_BUFFER_PARAMS;

    public KernelMethod {
        params = List.copyOf(params);
        body = List.copyOf(body);
    }

    /** A method that is not a loop. */
    public KernelMethod(String name, Kernel kernel, List<Buffer> params) { this(name, kernel, params, List.of()); }

    /**
     * The method of {@code loop}, which calls {@code body} (one method per body kernel, in order; a
     * {@link Kernel.StepCopy} is written inline): its parameters are every buffer they use, or, when
     * they are more than a method takes, the buffer tables ({@link #takesTables()}).
     */
    public static KernelMethod loop(String name, Kernel.Loop loop, List<KernelMethod> body) {
        TreeMap<Integer, Buffer> used = new TreeMap<>();
        for (KernelMethod m : body) for (Buffer b : m.params()) use(used, b, null, loop);
        return new KernelMethod(name, loop, List.copyOf(used.values()), body);
    }

    /**
     * True for a loop using more buffers than a method takes (a deep network in a {@code scan}'s
     * body): its method takes the class's buffer tables, {@code (float[][] f, int[][] i, int batch)},
     * and reads each of its {@link #params()} from them into a local of the same name first.
     */
    public boolean takesTables() { return kernel instanceof Kernel.Loop && params.size() > MAX_BUFFER_PARAMS; }

    /**
     * The vector plan of the method's first loop stage that has one ({@link KernelDispatch}): with it,
     * the method runs its innermost loop as vectors in SIMD mode; empty for methods without loop stages.
     */
    public Optional<VectorPlan> vectorPlan() {
        return KernelDispatch.vectorPlan(kernel);
    }

    /**
     * True when, in SIMD mode, the method first runs a scalar twin of its vector loops for
     * {@code VectorWarmup.scalarCalls} calls (every vectorised kernel): the scalar loops for pointwise
     * kernels and folds in place, scalar lanes in the same order for lane accumulators.
     */
    public boolean warmsUpWithScalarLoops() {
        return vectorPlan().isPresent();
    }

    /** The method for {@code kernel}, checking the buffer dtypes each kernel kind allows. */
    public static KernelMethod of(String name, Kernel kernel) {
        TreeMap<Integer, Buffer> used = new TreeMap<>();
        use(used, kernel.out(), DType.F32, kernel);
        switch (kernel) {
            case Kernel.Pointwise p -> useLoads(used, p.value(), kernel);
            case Kernel.Fused f -> {
                for (Kernel.Pointwise p : f.parts()) {
                    use(used, p.out(), DType.F32, kernel);
                    useLoads(used, p.value(), kernel);
                }
            }
            case Kernel.Reduce r -> {
                for (Kernel.Pointwise p : r.prologue()) {
                    use(used, p.out(), DType.F32, kernel);
                    useLoads(used, p.value(), kernel);
                }
                useLoads(used, r.value(), kernel);
            }
            case Kernel.MatMul m -> {
                use(used, m.a(), DType.F32, kernel);
                use(used, m.b(), DType.F32, kernel);
            }
            case Kernel.WithEpilogue w -> {
                for (Buffer b : of(name, w.head()).params()) use(used, b, null, kernel);
                for (Kernel s : w.stages()) for (Buffer b : of(name, s).params()) use(used, b, null, kernel);
            }
            // operands and workspace of a library call
            case Kernel.Call c -> {
                for (Buffer b : c.arrays()) if (b != null) use(used, b, DType.F32, kernel);
            }
            case Kernel.Loop l -> throw new IllegalArgumentException("a loop's method is made by KernelMethod.loop");
            case Kernel.StepCopy c -> use(used, c.from(), DType.F32, kernel);
            // f32 values and i32 row indices of a scatter-add
            case Kernel.ScatterAdd s -> {
                use(used, s.values(), DType.F32, kernel);
                use(used, s.indices(), DType.I32, kernel);
            }
        }
        if (used.size() > MAX_BUFFER_PARAMS)
            throw new IllegalArgumentException(name + " uses " + used.size() + " buffers; at most " + MAX_BUFFER_PARAMS + " fit in a method");
        return new KernelMethod(name, kernel, List.copyOf(used.values()));
    }

    private static void useLoads(TreeMap<Integer, Buffer> used, KExpr value, Kernel kernel) {
        for (KExpr.Load l : KExpr.loads(value)) use(used, l.buffer(), null, kernel);
        checkLoadTypes(value, kernel);
    }

    private static void checkLoadTypes(KExpr e, Kernel kernel) {
        if (e instanceof KExpr.Load l) {
            requireType(l.buffer(), DType.F32, kernel);
        } else if (e instanceof KExpr.OneHot h) {
            requireType(h.indices().buffer(), DType.I32, kernel);
        } else if (e instanceof KExpr.Gather g) {
            requireType(g.indices().buffer(), DType.I32, kernel);
            requireType(g.table().buffer(), DType.F32, kernel);
        } else if (e instanceof KExpr.Unary u) {
            checkLoadTypes(u.x(), kernel);
        } else if (e instanceof KExpr.Binary b) {
            checkLoadTypes(b.a(), kernel);
            checkLoadTypes(b.b(), kernel);
        } else if (e instanceof KExpr.Select s) {
            checkLoadTypes(s.cond(), kernel);
            checkLoadTypes(s.a(), kernel);
            checkLoadTypes(s.b(), kernel);
        } else if (!(e instanceof KExpr.Const || e instanceof KExpr.DimSize || e instanceof KExpr.Index)) {
            throw new IllegalStateException("unexpected " + e.getClass().getSimpleName());
        }
    }

    private static void use(TreeMap<Integer, Buffer> used, Buffer b, DType required, Kernel kernel) {
        if (required != null) requireType(b, required, kernel);
        Buffer seen = used.putIfAbsent(b.id(), b);
        if (seen != null && !seen.equals(b))
            throw new IllegalArgumentException("two buffers with id " + b.id() + ": " + seen + " and " + b);
    }

    private static void requireType(Buffer b, DType dtype, Kernel kernel) {
        if (b.dtype() != dtype)
            throw new IllegalArgumentException(b + " must be " + dtype.text() + " in " + kernel);
    }
}
