package nnc.passes;

import nnc.ir.IrModule;

/**
 * Dead-code elimination: rebuilds the node pool from the entries' roots only, so nodes that no
 * entry needs any more (left behind by earlier stages and passes) are gone and ids are dense again.
 */
public final class Dce implements Pass {
    @Override public String name() { return "dce"; }

    @Override public IrModule run(IrModule module, PassReport report) {
        return ModuleRewriter.rebuild(module, ModuleRewriter.COPY);
    }
}
