package nnc.runtime.train;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints one plain line per epoch ({@code epoch 3/10  loss 0.123456  acc 0.9500  val_loss ...}),
 * and, when asked (an interactive terminal), a {@link ProgressBar} with rate and ETA while the epoch
 * runs; what {@code nnc train} prints. Each line is flushed.
 */
public final class EpochPrinter implements TrainListener {
    private final PrintWriter out;
    private final int epochs;
    private final TrainListener bar;

    /** Prints on {@code out} for a run of {@code epochs}, with a progress bar when {@code progressBar}. */
    public EpochPrinter(PrintWriter out, int epochs, boolean progressBar) {
        this.out = out;
        this.epochs = epochs;
        this.bar = progressBar ? new ProgressBar(out, epochs, this::printLine) : null;
    }

    /** True when stdout is an interactive terminal (JDK 22+ says so directly; on 21 a console means one). */
    public static boolean isTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override public void stepEnd(int epoch, int step, int stepsPerEpoch, float loss) {
        if (bar != null) bar.stepEnd(epoch, step, stepsPerEpoch, loss);
    }

    @Override public void epochEnd(EpochStats s) {
        if (bar != null) bar.epochEnd(s);
        else printLine(s);
    }

    private void printLine(EpochStats s) {
        out.println(line(s, epochs));
        out.flush();
    }

    /** The line of epoch {@code s} of a run of {@code epochs}. */
    public static String line(EpochStats s, int epochs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  loss %.6f", s.epoch(), epochs, s.trainLoss()));
        if (!Double.isNaN(s.trainAccuracy())) sb.append(String.format(Locale.ROOT, "  acc %.4f", s.trainAccuracy()));
        if (!Double.isNaN(s.valLoss())) sb.append(String.format(Locale.ROOT, "  val_loss %.6f", s.valLoss()));
        if (!Double.isNaN(s.valAccuracy())) sb.append(String.format(Locale.ROOT, "  val_acc %.4f", s.valAccuracy()));
        if (!Double.isNaN(s.valTopK())) sb.append(String.format(Locale.ROOT, "  val_top_k %.4f", s.valTopK()));
        sb.append(String.format(Locale.ROOT, "  %,.0f samples/s", s.samplesPerSecond()));
        return sb.toString();
    }
}
