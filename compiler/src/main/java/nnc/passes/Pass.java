package nnc.passes;

import nnc.ir.IrModule;

/**
 * One step of the optimising middle end: a Graph IR module in, an equivalent module out. A pass has
 * one job, a name (used by {@code nnc ir --after NAME}) and writes what it did that a user should
 * know (such as unsafe rewrites) to the {@link PassReport}.
 */
public interface Pass {
    /** Lower-case name, e.g. {@code simplify}. */
    String name();

    IrModule run(IrModule module, PassReport report);
}
