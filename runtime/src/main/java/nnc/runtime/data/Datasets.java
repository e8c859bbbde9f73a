package nnc.runtime.data;

import java.nio.file.Path;
import java.util.Set;
import nnc.runtime.Limits;

/**
 * Loads the data set a {@link DataSpec} describes. Sources:
 * <ul>
 *   <li>{@code circles(n = 1000, noise = 0.1)}, {@code xor(...)}, {@code gaussians(...)},
 *       {@code spiral(...)}: seeded synthetic sets, see {@link SyntheticData}; {@code gaussians} also
 *       takes {@code dim = 2} and {@code classes = 2};</li>
 *   <li>{@code sequence(n = 1000, length = 16, vocab = 50, task = "next")}: seeded token
 *       sequences for sequence models, see {@link SequenceData};</li>
 *   <li>{@code idx(images, labels, scale = 1, classes = max label + 1)}: IDX files (MNIST format),
 *       plain or gzip;</li>
 *   <li>{@code csv(path, label = "column", normalize = false)}: a numeric CSV file with a header
 *       row; without {@code label} the last column is the label; with {@code normalize = true}
 *       every feature is standardised with the statistics of the training data (see
 *       {@link #load(DataSpec, Path, long, Normalization)} and {@link #statistics}).</li>
 * </ul>
 * Every problem is a {@link DataException} whose message names where the spec was written.
 */
public final class Datasets {
    private static final Set<String> SYNTHETIC_OPTIONS = Set.of("n", "noise");
    private static final Set<String> GAUSSIANS_OPTIONS = Set.of("n", "noise", "dim", "classes");

    private Datasets() {}

    /**
     * @param baseDir where relative file names are resolved (the model file's folder), or null for
     *                the working directory
     * @param seed    the seed of synthetic sets (ignored by files)
     */
    public static Dataset load(DataSpec spec, Path baseDir, long seed) { return load(spec, baseDir, seed, null); }

    /**
     * As {@link #load(DataSpec, Path, long)}; a source with {@code normalize = true} is standardised
     * with {@code training} (the training data's statistics), or with its own statistics when that
     * is null.
     */
    public static Dataset load(DataSpec spec, Path baseDir, long seed, Normalization training) {
        Dataset d = loadRaw(spec, baseDir, seed);
        if (normalizes(spec)) {
            Normalization n = training != null ? training : Normalization.of(d);
            if (n.features() != d.featureSize())
                throw new DataException(SpecArgs.prefix(spec) + "has " + d.featureSize()
                        + " features but the training data, whose statistics normalise it, has " + n.features());
            n.apply(d.x(), d.rows());
        }
        return d;
    }

    /** The statistics {@code normalize = true} sources are standardised with: those of {@code training}'s features, or null when it does not normalise. */
    public static Normalization statistics(DataSpec training, Path baseDir, long seed) {
        return training != null && normalizes(training) ? Normalization.of(loadRaw(training, baseDir, seed)) : null;
    }

    private static boolean normalizes(DataSpec spec) {
        return spec.kind().equals("csv") && new SpecArgs(spec, 1, 1, CSV_OPTIONS).flag("normalize", false);
    }

    /** The option of {@code csv(...)} that lets NaN and infinities through as features (off: they are errors naming row and column). */
    public static final String ALLOW_NONFINITE = "allow_nonfinite";
    private static final Set<String> CSV_OPTIONS = Set.of("label", "normalize", ALLOW_NONFINITE);

    /** Whether {@code spec} (the train block's data, say) lets non-finite features through; false for null. */
    public static boolean allowsNonFinite(DataSpec spec) {
        return spec != null && spec.kind().equals("csv") && new SpecArgs(spec, 1, 1, CSV_OPTIONS).flag(ALLOW_NONFINITE, false);
    }

    private static Dataset loadRaw(DataSpec spec, Path baseDir, long seed) {
        return switch (spec.kind()) {
            case "circles", "xor", "gaussians", "spiral" -> synthetic(spec, seed);
            case "sequence" -> sequence(spec, seed);
            case "idx" -> idx(spec, baseDir);
            case "csv" -> csv(spec, baseDir);
            default -> throw new DataException(SpecArgs.prefix(spec) + "unknown data source; known sources: "
                    + "circles, xor, gaussians, spiral, sequence, idx, csv");
        };
    }

    private static Dataset synthetic(DataSpec spec, long seed) {
        SpecArgs a = new SpecArgs(spec, 0, 0, spec.kind().equals("gaussians") ? GAUSSIANS_OPTIONS : SYNTHETIC_OPTIONS);
        int n = a.positiveInt("n", 1000);
        double noise = a.nonNegative("noise", 0.1);
        if (spec.kind().equals("gaussians")) {
            int dim = a.positiveInt("dim", 2), classes = a.positiveInt("classes", 2);
            if (classes < 2 || classes > 2 * dim)
                throw a.error("option 'classes' must be between 2 and 2 * dim = " + 2L * dim + ", got " + classes);
            Limits.requireValues(SpecArgs.prefix(spec) + "n = " + n + " rows of dim = " + dim + " features make", (long) n * dim, Float.BYTES);
            return SyntheticData.gaussians(n, noise, dim, classes, seed);
        }
        Limits.requireValues(SpecArgs.prefix(spec) + "n = " + n + " rows of 2 features make", 2L * n, Float.BYTES);
        return switch (spec.kind()) {
            case "circles" -> SyntheticData.circles(n, noise, seed);
            case "xor" -> SyntheticData.xor(n, noise, seed);
            case "gaussians" -> SyntheticData.gaussians(n, noise, seed);
            case "spiral" -> SyntheticData.spiral(n, noise, seed);
            default -> throw new IllegalStateException(spec.kind());
        };
    }

    private static final Set<String> SEQUENCE_OPTIONS = Set.of("n", "length", "vocab", "task", "classes");

    /** {@code sequence(n = 1000, length = 16, vocab = 50, task = "next", classes = 2)}: see {@link SequenceData}. */
    private static Dataset sequence(DataSpec spec, long seed) {
        SpecArgs a = new SpecArgs(spec, 0, 0, SEQUENCE_OPTIONS);
        int n = a.positiveInt("n", 1000), length = a.positiveInt("length", 16), vocab = a.positiveInt("vocab", 50);
        int classes = a.positiveInt("classes", 2);
        String task = a.stringOption("task", "next");
        if (!SequenceData.TASKS.contains(task))
            throw a.error("unknown task '" + task + "'; the tasks are: " + String.join(", ", SequenceData.TASKS));
        if (classes < 2) throw a.error("option 'classes' must be at least 2, got " + classes);
        if (task.equals("padded_last") && vocab < 3)
            throw a.error("task 'padded_last' needs vocab of at least 3 (token 0 pads, 1 .. vocab-1 are real), got " + vocab);
        Limits.requireValues(SpecArgs.prefix(spec) + "n = " + n + " sequences of length = " + length + " make", (long) n * length, 2 * Float.BYTES);
        Limits.requireValues(SpecArgs.prefix(spec) + "vocab = " + vocab + " makes", vocab, Integer.BYTES);
        return SequenceData.generate(task, n, length, vocab, classes, seed);
    }

    private static Dataset idx(DataSpec spec, Path baseDir) {
        SpecArgs a = new SpecArgs(spec, 2, 2, Set.of("scale", "classes"));
        Path images = DataFiles.resolve(baseDir, a.string(0, "images file"), SpecArgs.prefix(spec));
        Path labels = DataFiles.resolve(baseDir, a.string(1, "labels file"), SpecArgs.prefix(spec));
        double scale = a.number("scale", 1.0);
        if (!Double.isFinite(scale)) throw a.error("option 'scale' must be finite, got " + scale);
        int classes = a.has("classes") ? a.positiveInt("classes", 0) : 0;
        return IdxReader.read(images, labels, (float) scale, classes, SpecArgs.prefix(spec));
    }

    private static Dataset csv(DataSpec spec, Path baseDir) {
        SpecArgs a = new SpecArgs(spec, 1, 1, CSV_OPTIONS);
        Path file = DataFiles.resolve(baseDir, a.string(0, "file"), SpecArgs.prefix(spec));
        return CsvReader.read(file, a.stringOption("label", null), a.flag(ALLOW_NONFINITE, false), SpecArgs.prefix(spec));
    }
}
