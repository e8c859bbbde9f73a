package nnc.runtime.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar for an interactive terminal: redrawn in place ({@code \r}) at most ten
 * times a second with the epoch, the steps done, the last loss, the rate and the time left in the
 * epoch; wiped before each epoch's line, which {@code lines} prints. The rate counts the steps after
 * an epoch's first over the time since it ended, so the first frame shows {@code –} for the rate and
 * the time left. Each frame and each wipe is flushed, so a listener's lines on the same stream do
 * not interleave with it. Not for logs or pipes: use {@code lines} alone there.
 */
public final class ProgressBar implements TrainListener {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final int epochs;
    private final TrainListener lines;
    private int currentEpoch = -1;
    /** When the epoch's first step ended, and its number (a resumed epoch starts past step 1). */
    private long epochStart;
    private int firstStep;
    private long lastDraw;
    private int drawnLength;

    /** Draws on {@code out} for a run of {@code epochs}; {@code lines} prints the per-epoch lines. */
    public ProgressBar(PrintWriter out, int epochs, TrainListener lines) {
        this.out = out;
        this.epochs = epochs;
        this.lines = lines;
    }

    @Override public void stepEnd(int epoch, int step, int stepsPerEpoch, float loss) {
        long now = System.nanoTime();
        if (epoch != currentEpoch) {
            currentEpoch = epoch;
            epochStart = now;
            firstStep = step;
            lastDraw = 0;
        } else if (now - lastDraw < REDRAW_NANOS && step < stepsPerEpoch) {
            return;
        }
        lastDraw = now;
        double seconds = (now - epochStart) / 1e9;
        double rate = step > firstStep && seconds > 0 ? (step - firstStep) / seconds : Double.NaN;
        String text = render(epoch, epochs, step, stepsPerEpoch, loss, rate);
        out.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
        out.flush();
        drawnLength = text.length();
    }

    @Override public void epochEnd(EpochStats stats) {
        if (drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            out.flush();
        }
        drawnLength = 0;
        currentEpoch = -1;
        lines.epochEnd(stats);
    }

    /**
     * {@code epoch 3/10 [=========>      ] 512/1000  loss 0.3412  2,150 steps/s  ETA 0:02}; a {@code rate}
     * (steps per second) that is NaN, not known yet, shows as {@code – steps/s  ETA –}.
     */
    static String render(int epoch, int epochs, int step, int steps, float loss, double rate) {
        int filled = (int) ((long) WIDTH * step / Math.max(1, steps));
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        String head = String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d  loss %.4f  ", epoch, epochs, bar, step, steps, loss);
        if (!(rate > 0)) return head + "– steps/s  ETA –";
        long eta = Math.round((steps - step) / rate);
        return head + String.format(Locale.ROOT, "%,.0f steps/s  ETA %d:%02d", rate, eta / 60, eta % 60);
    }
}
