package nnc.interp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import nnc.ir.Graph;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.runtime.ModelMemory;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/** The arrays the {@link Interpreter} allocates at a batch: the model's named tensors and one per computed value. */
final class InterpreterMemory {
    private InterpreterMemory() {}

    static List<ModelMemory.Array> arrays(IrModule module, int batch) {
        List<ModelMemory.Array> out = new ArrayList<>();
        for (TensorSpec t : module.info().tensors()) out.add(ModelMemory.Array.of(t, batch));
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Graph g : module.entries())
            for (Node n : g.nodes())
                if (!n.isLeaf() && seen.add(n)) {
                    String name = module.labels().getOrDefault(n, "value");
                    out.add(ModelMemory.Array.of(new TensorSpec(name, Role.OUTPUT, n.type().dtype(), IrModule.runtimeDims(n.shape()), null), batch));
                }
        return out;
    }
}
