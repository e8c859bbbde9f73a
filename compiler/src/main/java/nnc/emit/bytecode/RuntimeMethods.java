package nnc.emit.bytecode;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import nnc.ir.SpatialFn;
import nnc.runtime.CompiledModel;
import nnc.runtime.parallel.SplitEntries;
import nnc.runtime.GeneratedModel;
import nnc.runtime.KernelClock;
import nnc.runtime.Numerics;
import nnc.runtime.kernels.BatchedGemm;
import nnc.runtime.kernels.BlockedSums;
import nnc.runtime.kernels.Gathers;
import nnc.runtime.kernels.Gemm;
import nnc.runtime.kernels.Lanes;
import nnc.runtime.kernels.SpatialCalls;
import nnc.runtime.kernels.VectorWarmup;
import org.objectweb.asm.Type;

/**
 * The runtime and JDK methods the bytecode emitter's kernels and step methods call, resolved by
 * reflection once, when this class is initialised: a method renamed or re-typed in the runtime fails
 * here (and in {@code RuntimeMethodsTest}), not as a {@code VerifyError} when a generated class runs.
 * (The Vector API and scalar math calls of expressions are {@code VectorBytecode}'s and
 * {@code ExprBytecode}'s.)
 */
final class RuntimeMethods {
    static final RuntimeCall GEMM = RuntimeCall.method(Gemm.class, "matmul", boolean.class, boolean.class, int.class, int.class, int.class,
            float[].class, int.class, float[].class, int.class, float[].class, int.class);
    static final RuntimeCall BATCHED_GEMM = RuntimeCall.method(BatchedGemm.class, "matmul", boolean.class, boolean.class,
            int.class, int.class, int.class, int.class, float[].class, float[].class, float[].class);
    static final RuntimeCall BATCHED_GEMM_VIEWS = RuntimeCall.method(BatchedGemm.class, "matmul", boolean.class, boolean.class,
            int.class, int.class, int.class, int.class, int.class, float[].class, int.class, int.class, int.class,
            float[].class, int.class, int.class, int.class, float[].class, int.class, int.class, int.class);
    static final RuntimeCall SCATTER_ADD = RuntimeCall.method(Gathers.class, "scatterAdd", float[].class, int[].class, float[].class,
            int.class, int.class, int.class);
    static final RuntimeCall LANES_SUM = RuntimeCall.method(Lanes.class, "sum", float[].class);
    static final RuntimeCall LANES_MAX = RuntimeCall.method(Lanes.class, "max", float[].class);
    /** The calling thread's 8-float array ({@code VectorWarmup.lanes()}). */
    static final RuntimeCall WARMUP_LANES = RuntimeCall.method(VectorWarmup.class, "lanes");
    static final RuntimeCall CHECK_KERNEL = RuntimeCall.method(Numerics.class, "checkKernel", float[].class, int.class, int.class, int.class,
            String.class);
    static final RuntimeCall FILL = RuntimeCall.method(Arrays.class, "fill", float[].class, float.class);
    static final RuntimeCall FILL_RANGE = RuntimeCall.method(Arrays.class, "fill", float[].class, int.class, int.class, float.class);
    static final RuntimeCall MAX = RuntimeCall.method(Math.class, "max", float.class, float.class);
    static final RuntimeCall MIN_INT = RuntimeCall.method(Math.class, "min", int.class, int.class);
    /** A blocked sum's partials ({@code BlockedSums.partials(int)}) and their addition to the output. */
    static final RuntimeCall BLOCKED_PARTIALS = RuntimeCall.method(BlockedSums.class, "partials", int.class);
    static final RuntimeCall BLOCKED_ADD_INTO = RuntimeCall.method(BlockedSums.class, "addInto", float[].class, float[].class, int.class);
    static final RuntimeCall ARRAYCOPY = RuntimeCall.method(System.class, "arraycopy", Object.class, int.class, Object.class, int.class,
            int.class);
    static final RuntimeCall STRING_BUILDER = RuntimeCall.constructor(StringBuilder.class);
    static final RuntimeCall APPEND = RuntimeCall.method(StringBuilder.class, "append", String.class);
    static final RuntimeCall TO_STRING = RuntimeCall.method(StringBuilder.class, "toString");
    static final RuntimeCall UNSUPPORTED = RuntimeCall.constructor(UnsupportedOperationException.class, String.class);
    /** {@code GeneratedModel(String info, String table, int maxBatch)}, the generated constructor's {@code super} call. */
    static final RuntimeCall MODEL_CONSTRUCTOR = RuntimeCall.constructor(GeneratedModel.class, String.class, String.class, int.class);
    /** {@code GeneratedModel(String info, String table, int maxBatch, int timedKernels)}, a profiled class's {@code super} call. */
    static final RuntimeCall PROFILED_MODEL_CONSTRUCTOR = RuntimeCall.constructor(GeneratedModel.class, String.class, String.class, int.class,
            int.class);
    /** {@code KernelClock.lap(long[] nanos, int kernel, long start)} after each kernel call of a profiled {@code trainStep}. */
    static final RuntimeCall LAP = RuntimeCall.method(KernelClock.class, "lap", long[].class, int.class, long.class);
    static final RuntimeCall NANO_TIME = RuntimeCall.method(System.class, "nanoTime");
    /** The descriptor of {@code GeneratedModel.checkBatch(int)}, called through the generated class as javac does. */
    static final String CHECK_BATCH = RuntimeCall.descriptor(GeneratedModel.class, "checkBatch", int.class);
    /** The descriptor of each {@code CompiledModel} step method ({@code trainStep}, {@code evaluate}, {@code predict}). */
    static final String STEP = RuntimeCall.descriptor(CompiledModel.class, "trainStep", int.class);
    /** The buffer tables {@code GeneratedModel.f} and {@code i}. */
    static final String F_TABLE = fieldDescriptor(GeneratedModel.class, "f");
    static final String I_TABLE = fieldDescriptor(GeneratedModel.class, "i");
    /** A profiled class's {@code GeneratedModel.kernelNanos}. */
    static final String NANOS_TABLE = fieldDescriptor(GeneratedModel.class, "kernelNanos");
    /** {@code VectorWarmup.scalarCalls}: how many calls run the scalar twin. */
    static final String SCALAR_CALLS_OWNER = Type.getInternalName(VectorWarmup.class);
    static final String SCALAR_CALLS = fieldDescriptor(VectorWarmup.class, "scalarCalls");
    private static final Map<SpatialFn, RuntimeCall> SPATIAL = spatialCalls();

    private RuntimeMethods() {}

    /** The Vector API calls of vector loops, resolved when the first class with vector loops is emitted. */
    static final class VectorApi {
        static final RuntimeCall LOOP_BOUND = RuntimeCall.method(type("jdk.incubator.vector.VectorSpecies"), "loopBound", int.class);

        private VectorApi() {}

        private static Class<?> type(String name) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(name + " is missing: run with --add-modules jdk.incubator.vector", e);
            }
        }
    }

    /** {@code SpatialCalls.<fn.routine()>(a, b, out, work, n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups)}. */
    static RuntimeCall spatial(SpatialFn fn) { return SPATIAL.get(fn); }

    /** {@code CompiledModel.NAME(int batch)} exists for every step method {@code name} ({@code trainStep}, {@code evaluate}, {@code predict}). */
    static String stepDescriptor(String name) {
        boolean split = name.equals("gradientEntry") || name.equals("applyEntry");
        return RuntimeCall.descriptor(split ? SplitEntries.class : CompiledModel.class, name, int.class);
    }

    private static Map<SpatialFn, RuntimeCall> spatialCalls() {
        Map<SpatialFn, RuntimeCall> out = new LinkedHashMap<>();
        for (SpatialFn fn : SpatialFn.values())
            out.put(fn, RuntimeCall.method(SpatialCalls.class, fn.routine(), float[].class, float[].class, float[].class, float[].class,
                    int.class, int.class, int.class, int.class, int.class, int.class, int.class, int.class, int.class, int.class, int.class, int.class, int.class, int.class));
        return out;
    }

    private static String fieldDescriptor(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            return Type.getDescriptor(f.getType());
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("generated code reads " + owner.getName() + "." + name + ", which does not exist", e);
        }
    }
}
