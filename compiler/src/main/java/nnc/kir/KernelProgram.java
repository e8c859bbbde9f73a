package nnc.kir;

import java.util.List;
import nnc.runtime.ModelInfo;

/**
 * What the emitters consume: a model's buffers and, per entry point ({@code train},
 * {@code evaluate}, {@code predict}), the kernels to run in order. Each named tensor of
 * {@code info} has exactly one buffer of the same name.
 */
public record KernelProgram(ModelInfo info, List<Buffer> buffers, List<Entry> entries) {
    public KernelProgram {
        buffers = List.copyOf(buffers);
        entries = List.copyOf(entries);
    }

    public record Entry(String name, List<Kernel> kernels) {
        public Entry { kernels = List.copyOf(kernels); }
    }

    public Entry entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * The table {@code nnc.runtime.GeneratedModel} allocates buffers from: one line per buffer,
     * {@code id|name|dtype|d0,d1} with {@code -1} for the batch dimension.
     */
    public String bufferTable() {
        StringBuilder sb = new StringBuilder();
        for (Buffer b : buffers) {
            int[] dims = nnc.ir.IrModule.runtimeDims(b.shape());
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < dims.length; i++) d.append(i == 0 ? "" : ",").append(dims[i]);
            sb.append(b.id()).append('|').append(b.name()).append('|').append(b.dtype()).append('|').append(d).append('\n');
        }
        return sb.toString();
    }
}
