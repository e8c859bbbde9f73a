package nnc.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link KernelProfile} as the text table {@code nnc bench --profile} prints: a heading, one row per
 * kernel call (share, µs per step, kernel, kind, shape, work, {@code .nn} line and its text), and a
 * footer comparing the kernels' sum with the step measured around {@code trainStep} and with the
 * unprofiled trainer's step.
 */
public final class ProfileTable {
    /** Longest source text shown; longer lines end in {@code …}. */
    static final int MAX_SOURCE = 60;

    private static final String[] HEADINGS = {"share", "µs/step", "kernel", "kind", "shape", "work", "line"};

    private ProfileTable() {}

    /** The table, lines ending in {@code \n}. */
    public static String text(KernelProfile p) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s: %,.1f µs per profiled step, batch %d, %s backend, %d thread%s, %,d steps%n",
                p.model(), p.stepNanosPerStep() / 1e3, p.batch(), p.backend(), p.threads(), p.threads() == 1 ? "" : "s", p.steps()));
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADINGS);
        for (ProfileRow r : p.rows())
            cells.add(new String[] {
                String.format(Locale.ROOT, "%.1f %%", r.share()),
                String.format(Locale.ROOT, "%,.1f", r.nanosPerStep() / 1e3),
                r.kernel(), r.cost().kind(), r.cost().shape(),
                String.format(Locale.ROOT, r.rate() < 1 ? "%.2f %s" : "%.1f %s", r.rate(), r.rateUnit()),
                r.where() + (r.source().isEmpty() ? "" : "  " + abbreviate(r.source()))});
        int[] width = new int[HEADINGS.length];
        for (String[] row : cells) for (int c = 0; c < row.length; c++) width[c] = Math.max(width[c], row[c].length());
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                boolean right = c <= 1; // numbers
                String cell = right ? " ".repeat(width[c] - row[c].length()) + row[c] : row[c];
                line.append(cell);
                if (c < row.length - 1) line.append(right ? "  " : " ".repeat(width[c] - row[c].length() + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append(String.format(Locale.ROOT, "sum of kernels %,.1f µs per step; profiled step measured around trainStep %,.1f µs (%+.1f %%)%n",
                p.kernelNanosPerStep() / 1e3, p.stepNanosPerStep() / 1e3, p.differencePct()));
        if (!Double.isNaN(p.uninstrumentedNanosPerStep()))
            out.append(String.format(Locale.ROOT, "unprofiled step %,.1f µs, timed in turns with the profiled one (the profiled step is %+.1f %%: the clock readings' cost and noise)%n",
                    p.uninstrumentedNanosPerStep() / 1e3, 100 * (p.stepNanosPerStep() / p.uninstrumentedNanosPerStep() - 1)));
        return out.toString();
    }

    /** The line with its runs of blanks made one space, cut to {@link #MAX_SOURCE} characters. */
    private static String abbreviate(String line) {
        String s = line.replaceAll("\\s+", " ");
        return s.length() <= MAX_SOURCE ? s : s.substring(0, MAX_SOURCE - 1) + "…";
    }
}
