package nnc.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * Base class of generated trainers (source and bytecode alike). It allocates every buffer once,
 * from the buffer table the compiler embeds, for {@code maxBatch} rows; the generated subclass
 * only adds {@link #trainStep}, {@link #evaluate} and {@link #predict}, which pass
 * {@code f[id]} / {@code i[id]} to static kernel methods.
 *
 * <p>Buffer table: one line per buffer, {@code id|name|dtype|d0,d1} (ids 0..n-1, -1 = batch).
 */
public abstract class GeneratedModel implements CompiledModel {
    private final ModelInfo info;
    private final int maxBatch;
    /** f32 buffers by id; null where the buffer is i32. */
    protected final float[][] f;
    /** i32 buffers by id; null where the buffer is f32. */
    protected final int[][] i;
    private final Map<String, Integer> byName = new HashMap<>();

    protected GeneratedModel(String infoText, String bufferTable, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        this.info = ModelInfo.decode(infoText);
        this.maxBatch = maxBatch;
        String[] lines = bufferTable.split("\n");
        this.f = new float[lines.length][];
        this.i = new int[lines.length][];
        for (String line : lines) {
            if (line.isEmpty()) continue;
            String[] p = line.split("\\|", -1);
            int id = Integer.parseInt(p[0]);
            int[] dims = p[3].isEmpty() ? new int[0] : java.util.Arrays.stream(p[3].split(",")).mapToInt(Integer::parseInt).toArray();
            int n = new TensorSpec(p[1], Role.OUTPUT, DType.valueOf(p[2]), dims, null).elementCount(maxBatch);
            if (DType.valueOf(p[2]) == DType.F32) f[id] = new float[n];
            else i[id] = new int[n];
            byName.put(p[1], id);
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

    /** Throws unless {@code 1 <= batch <= maxBatch}; generated entry points call it first. */
    protected final void checkBatch(int batch) {
        if (batch < 1 || batch > maxBatch)
            throw new IllegalArgumentException("batch " + batch + " outside 1.." + maxBatch);
    }
}
