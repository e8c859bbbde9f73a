package nnc.runtime;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import nnc.runtime.io.ModelFiles;
import nnc.runtime.kernels.InliningHint;

/**
 * Base class of generated trainers (source and bytecode alike). It allocates every buffer once,
 * from the buffer table the compiler embeds, for {@code maxBatch} rows; the generated subclass
 * only adds {@link #trainStep}, {@link #evaluate} and {@link #predict}, which pass
 * {@code f[id]} / {@code i[id]} to static kernel methods.
 *
 * <p>Buffer table: one line per buffer, {@code id|name|dtype|d0,d1|slot} (ids 0..n-1, -1 = batch;
 * slot optional, default the id). Buffers with the same slot share one array, as large as the
 * largest of them: the compiler's memory plan gives one slot to buffers never live at once.
 */
public abstract class GeneratedModel implements CompiledModel {
    private final ModelInfo info;
    private final int maxBatch;
    /** f32 buffers by id; null where the buffer is i32. */
    protected final float[][] f;
    /** i32 buffers by id; null where the buffer is f32. */
    protected final int[][] i;
    private final Map<String, Integer> byName = new HashMap<>();
    /** Nanoseconds in each kernel call of {@code trainStep} so far ({@link KernelClock}); empty unless the class is profiled. */
    protected final long[] kernelNanos;

    protected GeneratedModel(String infoText, String bufferTable, int maxBatch) {
        this(infoText, bufferTable, maxBatch, 0);
    }

    /**
     * As {@link #GeneratedModel(String, String, int)} for a profiled class, whose {@code trainStep}
     * times each of its {@code timedKernels} kernel calls into {@link #kernelNanos()}.
     */
    protected GeneratedModel(String infoText, String bufferTable, int maxBatch, int timedKernels) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        InliningHint.cover(getClass()); // when opted in: in the background while the trainer is set up
        this.info = ModelInfo.decode(infoText);
        this.maxBatch = maxBatch;
        this.kernelNanos = new long[timedKernels];
        String[] lines = bufferTable.split("\n");
        this.f = new float[lines.length][];
        this.i = new int[lines.length][];
        int[] slotOf = new int[lines.length];
        long[] size = new long[lines.length];
        DType[] dtype = new DType[lines.length];
        long[] slotSize = new long[lines.length];
        ModelMemory.Array[] slotArray = new ModelMemory.Array[lines.length];
        DType[] slotType = new DType[lines.length];
        for (String line : lines) {
            if (line.isEmpty()) continue;
            String[] p = line.split("\\|", -1);
            int id = Integer.parseInt(p[0]);
            int[] dims = p[3].isEmpty() ? new int[0] : Arrays.stream(p[3].split(",")).mapToInt(Integer::parseInt).toArray();
            dtype[id] = DType.valueOf(p[2]);
            TensorSpec spec = new TensorSpec(p[1], Role.OUTPUT, dtype[id], dims, null);
            size[id] = spec.elements(maxBatch);
            slotOf[id] = p.length > 4 ? Integer.parseInt(p[4]) : id;
            int s = slotOf[id];
            if (slotType[s] != null && slotType[s] != dtype[id])
                throw new IllegalArgumentException("buffer table: slot " + s + " mixes " + slotType[s] + " and " + dtype[id]);
            slotType[s] = dtype[id];
            if (size[id] >= slotSize[s]) slotArray[s] = ModelMemory.Array.of(spec, maxBatch);
            slotSize[s] = Math.max(slotSize[s], size[id]);
            byName.put(p[1], id);
        }
        // before anything is allocated: every array fits, and all of them fit the memory limit
        ModelMemory.check(info.name(), maxBatch, Arrays.stream(slotArray).filter(Objects::nonNull).toList());
        // one array per storage slot, allocated once: buffers whose lifetimes never overlap share it
        float[][] fs = new float[lines.length][];
        int[][] is = new int[lines.length][];
        for (int s = 0; s < lines.length; s++) {
            if (slotType[s] == null) continue;
            if (slotType[s] == DType.F32) fs[s] = new float[(int) slotSize[s]];
            else is[s] = new int[(int) slotSize[s]];
        }
        for (int id = 0; id < lines.length; id++) {
            if (dtype[id] == null) continue;
            if (dtype[id] == DType.F32) f[id] = fs[slotOf[id]];
            else i[id] = is[slotOf[id]];
        }
    }

    @Override public ModelInfo info() { return info; }

    @Override public int maxBatch() { return maxBatch; }

    @Override public float[] floats(String name) {
        float[] a = f[id(name)];
        if (a == null) throw new IllegalArgumentException(name + " is not an f32 tensor");
        return a;
    }

    @Override public int[] ints(String name) {
        int[] a = i[id(name)];
        if (a == null) throw new IllegalArgumentException(name + " is not an i32 tensor");
        return a;
    }

    private int id(String name) {
        Integer id = byName.get(name);
        if (id == null) throw new IllegalArgumentException("model " + info.name() + " has no tensor " + name);
        return id;
    }

    /**
     * Writes the trained model to {@code file} (safetensors): the parameters and inference state
     * (batch norm's running statistics), with the model's name and the nnc version as metadata
     * ({@link ModelFiles#save}); the generated class's static {@code load(path)} reads it back.
     */
    public final void save(Path file) { ModelFiles.save(this, file, false); }

    /** As {@link #save(Path)}; with {@code optimizerState} also the optimiser's state, so loading continues training exactly. */
    public final void save(Path file, boolean optimizerState) { ModelFiles.save(this, file, optimizerState); }

    /**
     * The time spent in each kernel call of {@code trainStep} so far, in call order, in a class
     * emitted profiled; empty otherwise. The live array: clear it to start a new measurement.
     */
    public final long[] kernelNanos() { return kernelNanos; }

    /** Throws unless {@code 1 <= batch <= maxBatch}; generated entry points call it first. */
    protected final void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch)
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + maxBatch);
    }
}
