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
        try {
            ModelTensors.load(model, SafeTensors.read(params), Set.of(Role.PARAM), "", true);
        } catch (SafeTensorsException e) {
            throw new UserError(e.file() + ": error: " + e.problem());
        }
    }
}
