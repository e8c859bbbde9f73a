package nnc.emit;

import java.util.List;
import java.util.function.Consumer;
import nnc.kir.Kernel;

/**
 * How one emitter writes each kind of statement of a kernel method; {@link KernelDispatch} decides
 * which statements a kernel is, in which order, once for both emitters. Sizes arrive as
 * {@link IntExpr}s, already checked to be expressible.
 */
public interface KernelWriter {
    /** Scalar loops over {@code nest}: at each point, each part stores its value, in order. */
    void pointwise(List<Kernel.Pointwise> parts, LoopNest nest);

    /** As {@link #pointwise}, with the innermost loop as vectors ({@code plan}) and a scalar tail. */
    void vectorPointwise(List<Kernel.Pointwise> parts, LoopNest nest, VectorPlan plan);

    /** Scalar loops folding {@code r}'s value into its output (its prologue's parts stored at each point first). */
    void reduce(Kernel.Reduce r, LoopNest nest);

    /**
     * As {@link #reduce}, with the innermost loop as vectors ({@code plan}); with {@code scalarLanes}
     * (lane accumulators only), the scalar twin of those vector loops, which gives their bits.
     */
    void vectorReduce(Kernel.Reduce r, LoopNest nest, VectorPlan plan, boolean scalarLanes);

    /** {@code Gemm.matmul}: one matrix product, {@code rows × depth} by {@code depth × cols}. */
    void matmul(Kernel.MatMul m, IntExpr rows, IntExpr cols, IntExpr depth);

    /** {@code BatchedGemm.matmul}: {@code count} matrix products. */
    void batchedMatmul(Kernel.MatMul m, IntExpr count, IntExpr rows, IntExpr cols, IntExpr depth);

    /** A runtime library call ({@code SpatialCalls}): the arrays (or null), then {@code n} and the fixed sizes. */
    void libraryCall(Kernel.Call c, IntExpr n);

    /** {@code Gathers.scatterAdd} over the first {@code positions} rows of values. */
    void scatterAdd(Kernel.ScatterAdd s, IntExpr positions);

    /** Opens {@code for (int s = 0; s < STEPS; s++) { int t = s; …}}, with {@code t = STEPS - 1 - s} when reversed. */
    void beginLoop(Kernel.Loop l);

    /** A step copy inside a loop: {@code System.arraycopy} of {@code length} floats at step {@code t} where stepped. */
    void stepCopy(Kernel.StepCopy c, IntExpr length);

    /** A call of a body kernel's method inside a loop, passing its buffers and {@code batch}. */
    void callBody(KernelMethod body);

    /** Closes the loop {@link #beginLoop} opened. */
    void endLoop();

    /**
     * The branch-free warm-up test ({@code VectorWarmup}) of a method with vector loops: when the
     * inner extent {@code extent} is short or the JIT is warming up, {@code scalarLoops} (which give
     * the vector loops' bits) and return; the vector loops follow.
     */
    void warmUpWithScalarLoops(IntExpr extent, Runnable scalarLoops);

    /**
     * The vector loops of a method that has them: {@code stages} writes them, with the writer it is
     * given, into a method of the same name and parameters in the class's nested class {@code Simd}
     * (which holds the species); this method calls it. A JVM without {@code jdk.incubator.vector}
     * never loads {@code Simd}: the warm-up test always takes the scalar twin there.
     */
    void vectorMethod(Consumer<KernelWriter> stages);
}
