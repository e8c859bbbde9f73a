package nnc.cli;

import java.nio.file.Path;
import java.util.Set;
import nnc.driver.UserError;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.io.ModelTensors;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.SafeTensorsException;

/** Loads a {@code --params} file (as {@code nnc train --save} writes it) into a model; problems name the file and tensor. */
final class ParamsLoader {
    private ParamsLoader() {}

    static void load(CompiledModel model, Path params) {
        load(model, params, new NumericsOption());
    }

    /** As {@link #load(CompiledModel, Path)}; a NaN or infinity in the file is an error unless {@code numerics} is off. */
    static void load(CompiledModel model, Path params, NumericsOption numerics) {
        try {
            var file = SafeTensors.read(params);
            numerics.checkLoaded(file);
            ModelTensors.load(model, file, Set.of(Role.PARAM), "", true);
        } catch (SafeTensorsException e) {
            throw new UserError(e.file() + ": error: " + e.problem());
        }
    }
}
