package nnc.runtime.kernels;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/**
 * Sets a model's parameters to their declared initial values and its state to zero (or, for state
 * that declares an {@link Init} — dropout's seed — to a draw from it, like a parameter).
 *
 * <p>Each parameter draws from its own {@link SplittableRandom}, seeded from the run's seed mixed
 * with a stable hash of the parameter's name: adding, removing or reordering parameters leaves
 * the others' values unchanged, and the same seed always gives the same bits. Normal variates
 * come from a Box–Muller transform over {@link StrictMath}, so they do not depend on the JDK's
 * Gaussian algorithm or the platform's libm.
 *
 * <p>Fans: rank 0 → 1 and 1; rank 1 → fanIn = fanOut = dims[0]; otherwise fanIn = product of all
 * dimensions but the last, fanOut = the last.
 */
public final class ParamInit {
    private ParamInit() {}

    /** Fills every PARAM tensor per its {@link Init}, and every STATE tensor per its Init or with zeros. */
    public static void initialize(CompiledModel model, long seed) {
        for (TensorSpec p : model.info().withRole(Role.PARAM)) {
            if (p.dtype() != DType.F32) throw new IllegalArgumentException("parameter " + p.name() + " is not f32");
            int count = p.elementCount(model.maxBatch());
            Init init = p.init() == null ? Init.ZEROS : p.init();
            fill(model.floats(p.name()), model.offset(p.name()), count, init, p.dims(), random(seed, p.name()));
        }
        for (TensorSpec s : model.info().withRole(Role.STATE)) {
            int off = model.offset(s.name());
            int count = s.elementCount(model.maxBatch());
            if (s.dtype() == DType.F32 && s.init() != null) fill(model.floats(s.name()), off, count, s.init(), s.dims(), random(seed, s.name()));
            else if (s.dtype() == DType.F32) Arrays.fill(model.floats(s.name()), off, off + count, 0f);
            else Arrays.fill(model.ints(s.name()), off, off + count, 0);
        }
    }

    /** Fills {@code count} values of {@code dst} from {@code off} per {@code init} for a tensor of shape {@code dims}. */
    public static void fill(float[] dst, int off, int count, Init init, int[] dims, SplittableRandom random) {
        switch (init) {
            case Init.Constant c -> Arrays.fill(dst, off, off + count, (float) c.value());
            case Init.Normal n -> normal(dst, off, count, n.mean(), n.std(), random);
            case Init.Uniform u -> uniform(dst, off, count, u.low(), u.high(), random);
            case Init.Xavier x -> {
                double a = Math.sqrt(6.0 / (fanIn(dims) + fanOut(dims)));
                uniform(dst, off, count, -a, a, random);
            }
            case Init.He h -> normal(dst, off, count, 0, Math.sqrt(2.0 / fanIn(dims)), random);
            case Init.Orthogonal o -> orthogonal(dst, off, count, dims, random);
        }
    }

    /**
     * torch.nn.init.orthogonal_ (gain 1): rows = dims[0], cols = the rest; A = a standard normal
     * rows×cols matrix, transposed when wide so that it is m×n with m ≥ n; its Q by Gram–Schmidt in
     * double with reorthogonalisation (the Q of the QR whose R has a positive diagonal, which is what
     * torch's sign fix yields); transposed back when wide.
     */
    private static void orthogonal(float[] dst, int off, int count, int[] dims, SplittableRandom random) {
        if (dims.length < 2) throw new IllegalArgumentException("orthogonal initialisation needs at least 2 dimensions");
        int rows = dims[0], cols = count / rows;
        boolean wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols;
        double[] g = new double[rows * cols];
        for (int i = 0; i < g.length; i += 2) {
            double u1 = 1.0 - random.nextDouble(), u2 = random.nextDouble();
            double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1)), angle = 2.0 * Math.PI * u2;
            g[i] = radius * StrictMath.cos(angle);
            if (i + 1 < g.length) g[i + 1] = radius * StrictMath.sin(angle);
        }
        double[][] q = new double[n][m]; // column j of A, then of Q
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) q[j][i] = wide ? g[j * cols + i] : g[i * cols + j];
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) dot += q[k][i] * q[j][i];
                    for (int i = 0; i < m; i++) q[j][i] -= dot * q[k][i];
                }
            double norm = 0;
            for (int i = 0; i < m; i++) norm += q[j][i] * q[j][i];
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) q[j][i] /= norm;
        }
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) dst[off + i * cols + j] = (float) (wide ? q[i][j] : q[j][i]);
    }

    /** The generator for parameter {@code name}: depends on the seed and the name only. */
    public static SplittableRandom random(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return new SplittableRandom(mix(seed) ^ mix(h));
    }

    static int fanIn(int[] dims) {
        if (dims.length == 0) return 1;
        if (dims.length == 1) return dims[0];
        int f = 1;
        for (int i = 0; i < dims.length - 1; i++) f *= dims[i];
        return f;
    }

    static int fanOut(int[] dims) {
        return dims.length == 0 ? 1 : dims[dims.length - 1];
    }

    private static void uniform(float[] dst, int off, int count, double low, double high, SplittableRandom r) {
        for (int i = 0; i < count; i++) dst[off + i] = (float) (low + (high - low) * r.nextDouble());
    }

    private static void normal(float[] dst, int off, int count, double mean, double std, SplittableRandom r) {
        for (int i = 0; i < count; i += 2) {
            double u1 = 1.0 - r.nextDouble(); // (0, 1]: log is finite
            double u2 = r.nextDouble();
            double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            double angle = 2.0 * Math.PI * u2;
            dst[off + i] = (float) (mean + std * radius * StrictMath.cos(angle));
            if (i + 1 < count) dst[off + i + 1] = (float) (mean + std * radius * StrictMath.sin(angle));
        }
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
