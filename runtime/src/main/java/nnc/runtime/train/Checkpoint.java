package nnc.runtime.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.runtime.CompiledModel;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.OutputFile;
import nnc.runtime.io.OutputFileException;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;

/**
 * A training checkpoint: {@code DIR/last.safetensors} with the model's parameters and state (inference
 * and optimiser state) under their own names ({@code h.W}, {@code h.W.adam_m}, {@code step}, ...), the
 * early-stopping best model (parameters and inference state) as {@code best.h.W}, and in the metadata the {@link RunState} (with the epoch
 * history, for the report of a resumed run) plus what the run must share with a resumed one to
 * continue bitwise (model, seed, shuffle, batch, rows). Written as {@link OutputFile} writes files
 * (temporary sibling, then rename), so the directory always holds a whole checkpoint.
 */
public final class Checkpoint {
    /** The file kept current in a checkpoint directory. */
    public static final String FILE = "last.safetensors";
    static final String FORMAT = "nnc-checkpoint-2";
    /** The format before the epoch history was kept (cannot be resumed with a whole report). */
    private static final String FORMAT_1 = "nnc-checkpoint-1";
    private static final String BEST = "best.";

    private Checkpoint() {}

    /** {@code dir/last.safetensors}. */
    public static Path file(Path dir) { return dir.resolve(FILE); }

    static void write(Path dir, CompiledModel m, RunState st, TrainOptions o, int rows) {
        try {
            OutputFile.createDirectories(dir);
        } catch (OutputFileException e) {
            throw new SafeTensorsException(e.file(), e.problem(), e);
        }
        List<Tensor> tensors = new ArrayList<>(ModelTensors.copy(m, Set.of(Role.PARAM, Role.STATE), ""));
        if (st.bestModel != null) for (Tensor t : st.bestModel) tensors.add(t.withName(BEST + t.name()));
        Map<String, String> meta = new LinkedHashMap<>(run(m, o, rows));
        meta.putAll(st.toMetadata());
        meta.put("nnc.format", FORMAT);
        meta.put("nnc.has_best", Boolean.toString(st.bestModel != null));
        SafeTensors.write(file(dir), tensors, meta);
    }

    /** What a resumed run must share with the checkpointed one. */
    private static Map<String, String> run(CompiledModel m, TrainOptions o, int rows) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("nnc.model", m.info().name());
        meta.put("nnc.seed", Long.toString(o.seed()));
        meta.put("nnc.shuffle", Boolean.toString(o.shuffle()));
        meta.put("nnc.batch", Integer.toString(o.batch()));
        meta.put("nnc.rows", Integer.toString(rows));
        meta.put("nnc.schedule", o.schedule() == null || o.schedule().isConstant() ? "constant" : o.schedule().toString());
        meta.put("nnc.rng", "shuffle of epoch e drawn from SplittableRandom(mix(seed) ^ mix(0x5eed0000 + e))");
        return meta;
    }

    /**
     * Loads {@code dir/last.safetensors} into {@code m} and returns where the run was.
     *
     * @param stepsPerEpoch the steps of one epoch of this run
     * @param maxCorrect    the most correct predictions one epoch can count (0 without an accuracy metric)
     * @throws SafeTensorsException naming the file and the tensor or setting that does not fit, or
     *                              (unless numerics checks are off) the first NaN or infinity
     */
    static RunState read(Path dir, CompiledModel m, TrainOptions o, int rows, int stepsPerEpoch, long maxCorrect) {
        Path f = file(dir);
        TensorFile tf = SafeTensors.read(f);
        String origin = tf.origin();
        if (FORMAT_1.equals(tf.metadata().get("nnc.format")))
            throw new SafeTensorsException(origin, "the checkpoint was written by an older nnc (" + FORMAT_1
                    + ") without the epoch history; train afresh (it cannot be resumed)");
        if (!FORMAT.equals(tf.metadata().get("nnc.format")))
            throw new SafeTensorsException(origin, "not an nnc checkpoint (its metadata has no nnc.format " + FORMAT + ")");
        for (Map.Entry<String, String> e : run(m, o, rows).entrySet()) {
            String theirs = RunState.get(tf.metadata(), e.getKey(), origin);
            if (!theirs.equals(e.getValue()))
                throw new SafeTensorsException(origin, "the checkpoint was written with " + e.getKey().substring(4) + " " + theirs
                        + ", this run has " + e.getValue() + "; a resumed run needs the same model, data, batch, seed, shuffle and schedule");
        }
        RunState st = RunState.fromMetadata(tf.metadata(), origin);
        st.checkFits(o.epochs(), stepsPerEpoch, maxCorrect, origin);
        String hasBest = RunState.get(tf.metadata(), "nnc.has_best", origin);
        if (!hasBest.equals("true") && !hasBest.equals("false"))
            throw new SafeTensorsException(origin, "metadata nnc.has_best is not true or false: '" + hasBest + "'");
        String nonFinite = o.numerics() == Numerics.Mode.OFF ? null : Numerics.firstNonFinite(tf);
        if (nonFinite != null) throw new SafeTensorsException(origin, nonFinite + "; a run cannot resume from non-finite values");
        Map<String, Tensor> own = new LinkedHashMap<>();
        Map<String, Tensor> best = new LinkedHashMap<>();
        tf.tensors().forEach((name, t) -> (name.startsWith(BEST) ? best : own).put(name, t));
        ModelTensors.load(m, new TensorFile(origin, own, Map.of()), Set.of(Role.PARAM, Role.STATE), "", true);
        if (hasBest.equals("true")) {
            List<Tensor> saved = ModelTensors.trained(m);
            List<String> missing = ModelTensors.loadTrained(m, new TensorFile(origin, best, Map.of()), BEST);
            if (!missing.isEmpty())
                throw new SafeTensorsException(origin, "the checkpoint's best epoch lacks " + String.join(", ", missing)
                        + " (an older nnc kept the best epoch's parameters only); train afresh (it cannot be resumed)");
            st.bestModel = ModelTensors.trained(m);
            ModelTensors.loadTrained(m, TensorFile.of(origin, saved), "");
        }
        return st;
    }
}
