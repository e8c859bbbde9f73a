package nnc.runtime.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/**
 * A model whose steps compute nothing: each step records its batch size and the loss it reports
 * comes from a script (by step number, 1-based), default 1. For tests of feeding and the loop.
 */
public final class StubModel extends ArenaModel {
    public final List<Integer> trainBatches = new ArrayList<>();
    public final List<Integer> evalBatches = new ArrayList<>();
    /** The first input value of each batch row of every train step, in order. */
    public final List<Float> firstInputs = new ArrayList<>();
    private final IntFunction<Float> lossScript;

    public StubModel(ModelInfo info, int maxBatch, IntFunction<Float> lossScript) {
        super(info, maxBatch);
        this.lossScript = lossScript;
    }

    /** input x f32[batch, features], target y as given, output loss f32[] and out f32[batch, outWidth]. */
    public static ModelInfo info(int features, TensorSpec target, int outWidth, String... metrics) {
        List<TensorSpec> t = new ArrayList<>();
        t.add(new TensorSpec("x", Role.INPUT, DType.F32, new int[] {TensorSpec.BATCH, features}, null));
        t.add(target);
        t.add(new TensorSpec("out", Role.OUTPUT, DType.F32, new int[] {TensorSpec.BATCH, outWidth}, null));
        t.add(new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[0], null));
        return new ModelInfo("Stub", t, "loss", List.of(metrics));
    }

    public static TensorSpec target(DType dtype, int... dims) {
        return new TensorSpec("y", Role.TARGET, dtype, dims, null);
    }

    @Override public void trainStep(int batch) {
        trainBatches.add(batch);
        for (int r = 0; r < batch; r++) firstInputs.add(f("x", r * info().get("x").rowSize()));
        floats[offset("loss")] = lossScript.apply(trainBatches.size());
    }

    @Override public void evaluate(int batch) {
        evalBatches.add(batch);
        floats[offset("loss")] = 1f;
    }

    @Override public void predict(int batch) { }
}
