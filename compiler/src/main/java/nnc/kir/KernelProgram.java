package nnc.kir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.IrModule;
import nnc.runtime.ModelInfo;

/**
 * What the emitters consume: a model's buffers and, per entry point ({@code train},
 * {@code evaluate}, {@code predict}), the kernels to run in order. Each named tensor of
 * {@code info} has exactly one buffer of the same name.
 *
 * @param slots the storage slot of each buffer, by buffer id: buffers with the same slot share one
 *              array (the memory-plan pass's result); without a
 *              plan every buffer is its own slot
 */
public record KernelProgram(ModelInfo info, List<Buffer> buffers, List<Entry> entries, List<Integer> slots, Lines lines) {
    /**
     * The {@code .nn} file the program was compiled from and the line of each kernel (the statement
     * of the value it computes); kernels without one are absent.
     */
    public record Lines(String file, Map<Kernel, Integer> byKernel) {
        public static final Lines NONE = new Lines("", Map.of());

        public Lines { byKernel = Map.copyOf(byKernel); }

        public int of(Kernel k) { return byKernel.getOrDefault(k, 0); }

        /** These lines, and for each kernel of {@code entries} without one, the line of the first kernel it was merged from. */
        Lines extendedTo(List<Entry> entries) {
            Map<Kernel, Integer> out = new HashMap<>(byKernel);
            for (Entry e : entries) extend(e.kernels(), out);
            return new Lines(file, out);
        }

        private static void extend(List<Kernel> kernels, Map<Kernel, Integer> out) {
            for (Kernel k : kernels) {
                if (k instanceof Kernel.Loop l) extend(l.body(), out);
                Integer line = mergedLine(k, out);
                if (line != null) out.putIfAbsent(k, line);
            }
        }

        /** The line of {@code k}, or of a kernel made by merging others, that of the first of them (a head, a first part, a prologue, a loop's first body kernel with a line). */
        private static Integer mergedLine(Kernel k, Map<Kernel, Integer> lines) {
            Integer line = lines.get(k);
            if (line != null) return line;
            if (k instanceof Kernel.WithEpilogue w) return mergedLine(w.head(), lines);
            if (k instanceof Kernel.Fused f) return mergedLine(f.parts().get(0), lines);
            if (k instanceof Kernel.Reduce r && !r.prologue().isEmpty()) return mergedLine(r.prologue().get(0), lines);
            if (k instanceof Kernel.Loop l) return l.body().stream().map(lines::get).filter(x -> x != null).findFirst().orElse(null); // a body merged anew
            return null;
        }
    }

    /** A program without source lines. */
    public KernelProgram(ModelInfo info, List<Buffer> buffers, List<Entry> entries, List<Integer> slots) {
        this(info, buffers, entries, slots, Lines.NONE);
    }

    public KernelProgram {
        buffers = List.copyOf(buffers);
        entries = List.copyOf(entries);
        slots = List.copyOf(slots);
        if (slots.size() != buffers.size())
            throw new IllegalArgumentException(slots.size() + " slots for " + buffers.size() + " buffers");
    }

    /** An unplanned program: one storage slot per buffer. */
    public KernelProgram(ModelInfo info, List<Buffer> buffers, List<Entry> entries) {
        this(info, buffers, entries, identitySlots(buffers.size()));
    }

    public record Entry(String name, List<Kernel> kernels) {
        public Entry { kernels = List.copyOf(kernels); }
    }

    public Entry entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * This program with {@code newEntries} for its entries (a pass merged or reordered kernels), the
     * same buffers and slots; a merged kernel takes the {@code .nn} line of the first kernel it was made of.
     */
    public KernelProgram withEntries(List<Entry> newEntries) {
        return new KernelProgram(info, buffers, newEntries, slots, lines.extendedTo(newEntries));
    }

    /** This program with a storage plan. */
    public KernelProgram withSlots(List<Integer> newSlots) { return new KernelProgram(info, buffers, entries, newSlots, lines); }

    /** This program with the {@code .nn} lines of its kernels. */
    public KernelProgram withLines(Lines newLines) { return new KernelProgram(info, buffers, entries, slots, newLines); }

    public int slotOf(Buffer b) { return slots.get(b.id()); }

    /** Number of kernels of all entries. */
    public int kernelCount(String entry) { return entry(entry).kernels().size(); }

    /**
     * The table {@code nnc.runtime.GeneratedModel} allocates buffers from: one line per buffer,
     * {@code id|name|dtype|d0,d1} with {@code -1} for the batch dimension, then {@code |slot} when
     * the buffer shares another's storage; buffers of one slot share one array, sized for the
     * largest of them.
     */
    public String bufferTable() {
        StringBuilder sb = new StringBuilder();
        for (Buffer b : buffers) {
            int[] dims = IrModule.runtimeDims(b.shape());
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < dims.length; i++) d.append(i == 0 ? "" : ",").append(dims[i]);
            sb.append(b.id()).append('|').append(b.name()).append('|').append(b.dtype()).append('|').append(d);
            if (slots.get(b.id()) != b.id()) sb.append('|').append(slots.get(b.id()));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static List<Integer> identitySlots(int n) {
        List<Integer> s = new ArrayList<>(n);
        for (int i = 0; i < n; i++) s.add(i);
        return s;
    }
}
