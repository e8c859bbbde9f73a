package nnc.emit;

import java.util.ArrayList;
import java.util.List;
import nnc.kir.Buffer;
import nnc.runtime.DType;

/**
 * One {@code CompiledModel} step method ({@code trainStep}, {@code evaluate}, {@code predict}) of the
 * generated class: the kernel methods it calls in order (some may be shared with other entries). Long entries call their kernels through
 * {@link Chunk} methods so that no method nears HotSpot's 8000-byte JIT limit.
 *
 * @param entryName  the Kernel IR entry ({@code train}, {@code evaluate}, {@code predict})
 * @param methodName the {@code CompiledModel} method it implements
 * @param defined    false when the program has no such entry: the method then throws
 * @param chunks     empty when the step method calls its kernels directly
 */
public record EntryPlan(String entryName, String methodName, boolean defined, List<KernelMethod> kernels, List<Chunk> chunks) {
    /** Bytecode budget for the kernel calls of one method (estimated, well under 8000). */
    static final int CALL_BYTES_PER_METHOD = 5000;

    public EntryPlan {
        kernels = List.copyOf(kernels);
        chunks = List.copyOf(chunks);
    }

    /**
     * {@code private static void name(float[][] f, int[][] i, int batch)}: calls some consecutive
     * kernels of an entry.
     */
    public record Chunk(String name, List<KernelMethod> kernels) {
        public Chunk { kernels = List.copyOf(kernels); }
    }

    static EntryPlan undefined(String entryName, String methodName) {
        return new EntryPlan(entryName, methodName, false, List.of(), List.of());
    }

    static EntryPlan of(String entryName, String methodName, List<KernelMethod> kernels) {
        int total = 0;
        for (KernelMethod k : kernels) total += callBytes(k);
        if (total <= CALL_BYTES_PER_METHOD) return new EntryPlan(entryName, methodName, true, kernels, List.of());
        List<Chunk> chunks = new ArrayList<>();
        List<KernelMethod> current = new ArrayList<>();
        int bytes = 0;
        for (KernelMethod k : kernels) {
            int b = callBytes(k);
            if (!current.isEmpty() && bytes + b > CALL_BYTES_PER_METHOD) {
                chunks.add(new Chunk(entryName + "Part" + chunks.size(), current));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(k);
            bytes += b;
        }
        chunks.add(new Chunk(entryName + "Part" + chunks.size(), current));
        return new EntryPlan(entryName, methodName, true, kernels, chunks);
    }

    /** This entry with its kernels called through chunk methods (one chunk when it had none). */
    EntryPlan chunked() {
        if (!defined || !chunks.isEmpty()) return this;
        return new EntryPlan(entryName, methodName, true, kernels, List.of(new Chunk(entryName + "Part0", kernels)));
    }

    /** True when some kernel of {@code methods} takes a buffer of {@code dtype} (or the buffer tables). */
    public static boolean uses(List<KernelMethod> methods, DType dtype) {
        for (KernelMethod m : methods)
            for (Buffer b : m.params()) if (b.dtype() == dtype || m.takesTables()) return true;
        return false;
    }

    /** Upper bound on the bytecode of one call: per buffer {@code aload, push id, aaload}; then {@code iload, invokestatic}. */
    static int callBytes(KernelMethod k) {
        if (k.takesTables()) return 7;
        int bytes = 4;
        for (Buffer b : k.params()) bytes += 2 + (b.id() < 128 ? 2 : 3);
        return bytes;
    }
}
