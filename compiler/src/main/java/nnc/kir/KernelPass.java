package nnc.kir;

/**
 * One step over the Kernel IR after scheduling: a program in, a program out that computes the same
 * values bit for bit (kernels merged or reordered, storage shared). A pass has one job and a name,
 * used by {@code nnc ir --after NAME}. The driver's {@code KernelPipeline} lists the passes the back
 * ends run, in order; the Graph IR's passes have the same shape.
 */
public interface KernelPass {
    /** Lower-case name, e.g. {@code pointwise-merging}. */
    String name();

    KernelProgram run(KernelProgram program);
}
