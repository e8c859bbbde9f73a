package nnc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import nnc.driver.UserError;
import nnc.runtime.CompiledModel;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.SafeTensorsException;

/**
 * Loads a {@code --params} file (as {@code nnc train --save} writes it: parameters and inference
 * state) into a model; problems name the file and tensor. A file without the inference state (one
 * written by an nnc that saved parameters only) loads with a one-line warning naming what it lacks.
 */
final class ParamsLoader {
    private ParamsLoader() {}

    /** Loads {@code params} into {@code model}: a NaN or infinity in the file is an error unless {@code numerics} is off; warnings go to {@code err}. */
    static void load(CompiledModel model, Path params, NumericsOption numerics, PrintWriter err) {
        List<String> missing;
        try {
            var file = SafeTensors.read(params);
            numerics.checkLoaded(file);
            missing = ModelTensors.loadTrained(model, file, "");
        } catch (SafeTensorsException e) {
            throw new UserError(e.file() + ": error: " + e.problem());
        }
        if (!missing.isEmpty()) {
            err.println(params + ": warning: no " + String.join(", ", missing)
                    + " (a file of parameters only, as an older nnc saved); they keep their initial values");
            err.flush();
        }
    }
}
