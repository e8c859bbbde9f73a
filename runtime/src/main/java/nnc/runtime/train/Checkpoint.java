package nnc.runtime.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;

/**
 * A training checkpoint: {@code DIR/last.safetensors} with the model's parameters and optimiser
 * state under their own names ({@code h.W}, {@code h.W.adam_m}, {@code step}, ...), the early-stopping
 * best parameters as {@code best.h.W}, and in the metadata the {@link RunState} plus what the run
 * must share with a resumed one to continue bitwise (model, seed, shuffle, batch, rows). Written
 * to a temporary file and renamed, so the directory always holds a whole checkpoint.
 */
public final class Checkpoint {
    /** The file kept current in a checkpoint directory. */
    public static final String FILE = "last.safetensors";
    static final String FORMAT = "nnc-checkpoint-1";
    private static final String BEST = "best.";

    private Checkpoint() {}

    /** {@code dir/last.safetensors}. */
    public static Path file(Path dir) { return dir.resolve(FILE); }

    static void write(Path dir, CompiledModel m, RunState st, TrainOptions o, int rows) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SafeTensorsException(dir.toString(), "cannot create the checkpoint directory: " + e.getMessage(), e);
        }
        List<Tensor> tensors = new ArrayList<>(ModelTensors.copy(m, Set.of(Role.PARAM, Role.STATE), ""));
        if (st.bestParams != null) for (Tensor t : st.bestParams) tensors.add(t.withName(BEST + t.name()));
        Map<String, String> meta = new LinkedHashMap<>(run(m, o, rows));
        meta.putAll(st.toMetadata());
        meta.put("nnc.format", FORMAT);
        meta.put("nnc.has_best", Boolean.toString(st.bestParams != null));
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
     * @throws SafeTensorsException naming the file and the tensor or setting that does not fit, or
     *                              (unless numerics checks are off) the first NaN or infinity
     */
    static RunState read(Path dir, CompiledModel m, TrainOptions o, int rows) {
        Path f = file(dir);
        TensorFile tf = SafeTensors.read(f);
        String origin = tf.origin();
        if (!FORMAT.equals(tf.metadata().get("nnc.format")))
            throw new SafeTensorsException(origin, "not an nnc checkpoint (its metadata has no nnc.format " + FORMAT + ")");
        for (Map.Entry<String, String> e : run(m, o, rows).entrySet()) {
            String theirs = RunState.get(tf.metadata(), e.getKey(), origin);
            if (!theirs.equals(e.getValue()))
                throw new SafeTensorsException(origin, "the checkpoint was written with " + e.getKey().substring(4) + " " + theirs
                        + ", this run has " + e.getValue() + "; a resumed run needs the same model, data, batch, seed, shuffle and schedule");
        }
        RunState st = RunState.fromMetadata(tf.metadata(), origin);
        String nonFinite = o.numerics() == nnc.runtime.Numerics.Mode.OFF ? null : nnc.runtime.Numerics.firstNonFinite(tf);
        if (nonFinite != null) throw new SafeTensorsException(origin, nonFinite + "; a run cannot resume from non-finite values");
        Map<String, Tensor> own = new LinkedHashMap<>();
        Map<String, Tensor> best = new LinkedHashMap<>();
        tf.tensors().forEach((name, t) -> (name.startsWith(BEST) ? best : own).put(name, t));
        ModelTensors.load(m, new TensorFile(origin, own, Map.of()), Set.of(Role.PARAM, Role.STATE), "", true);
        if (Boolean.parseBoolean(tf.metadata().get("nnc.has_best"))) {
            List<Tensor> saved = ModelTensors.params(m);
            ModelTensors.load(m, new TensorFile(origin, best, Map.of()), Set.of(Role.PARAM), BEST, true);
            st.bestParams = ModelTensors.params(m);
            ModelTensors.load(m, TensorFile.of(origin, saved), Set.of(Role.PARAM), "", true);
        }
        return st;
    }
}
