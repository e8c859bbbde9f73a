package nnc.runtime.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.runtime.CompiledModel;
import nnc.runtime.NncVersion;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/**
 * A trained model in one safetensors file with its metadata: what a generated trainer's
 * {@code save(path)} writes and {@code load(path)} reads. The tensors are named as in the model
 * (the same file {@code nnc train --save} writes, which {@code nnc eval} and {@code nnc predict}
 * read); the metadata says which model ({@code nnc.model}), which nnc wrote it
 * ({@code nnc.version}) and whether the optimiser's state is there too ({@code nnc.contents}).
 */
public final class ModelFiles {
    /** Metadata key: the model's name. */
    public static final String MODEL = "nnc.model";
    /** Metadata key: the nnc version that wrote the file. */
    public static final String VERSION = "nnc.version";
    /** Metadata key: {@link #TRAINED} or {@link #WITH_OPTIMIZER}. */
    public static final String CONTENTS = "nnc.contents";
    /** Parameters and inference state (batch norm's running statistics). */
    public static final String TRAINED = "trained";
    /** Parameters, inference state and the optimiser's state (moments, step counters), to continue training. */
    public static final String WITH_OPTIMIZER = "trained+optimizer";

    private ModelFiles() {}

    /**
     * Writes {@code model}'s parameters and inference state, and with {@code optimizerState} every
     * other state tensor (the optimiser's moments and step counters) too.
     *
     * @throws SafeTensorsException when the file cannot be written
     */
    public static void save(CompiledModel model, Path file, boolean optimizerState) {
        List<TensorSpec> specs = new ArrayList<>(model.info().trained());
        if (optimizerState)
            for (TensorSpec s : ModelTensors.ofRoles(model, Set.of(Role.STATE))) if (!specs.contains(s)) specs.add(s);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(MODEL, model.info().name());
        metadata.put(VERSION, NncVersion.current());
        metadata.put(CONTENTS, optimizerState ? WITH_OPTIMIZER : TRAINED);
        SafeTensors.write(file, ModelTensors.copy(model, specs.stream().map(TensorSpec::name).toList()), metadata);
    }

    /**
     * Reads {@code file} into {@code model}: the file must be one {@link #save} wrote for a model of
     * the same name, with every tensor of the model's shape and dtype; the optimiser's state is
     * loaded when the file has it. Returns {@code model}.
     *
     * @throws SafeTensorsException naming the file and the problem (another model, a missing tensor, a shape that differs, ...)
     */
    public static <M extends CompiledModel> M load(M model, Path file) {
        TensorFile f = SafeTensors.read(file);
        String name = model.info().name(), theirs = f.metadata().get(MODEL);
        if (theirs == null)
            throw new SafeTensorsException(f.origin(), "no " + MODEL + " metadata: not a model file nnc saved (model " + name + " expected)");
        if (!theirs.equals(name))
            throw new SafeTensorsException(f.origin(), "holds model " + theirs + ", not " + name
                    + (f.metadata().containsKey(VERSION) ? " (saved by nnc " + f.metadata().get(VERSION) + ")" : ""));
        if (WITH_OPTIMIZER.equals(f.metadata().get(CONTENTS))) ModelTensors.load(model, f, Set.of(Role.PARAM, Role.STATE), "", true);
        else {
            List<String> missing = ModelTensors.loadTrained(model, f, "");
            if (!missing.isEmpty()) throw new SafeTensorsException(f.origin(), "tensor " + missing.get(0) + " is missing (the model's inference state is "
                    + String.join(", ", model.info().inferenceState().stream().map(TensorSpec::name).toList()) + ")");
        }
        return model;
    }
}
