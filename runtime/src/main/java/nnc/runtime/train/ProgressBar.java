package nnc.runtime.train;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar for an interactive terminal: redrawn in place ({@code \r}) at most ten
 * times a second with the epoch, the steps done, the last loss, the rate and the time left in the
 * epoch; wiped before each epoch's line, which {@code lines} prints. Not for logs or pipes: use
 * {@code lines} alone there.
 */
public final class ProgressBar implements TrainListener {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final int epochs;
    private final TrainListener lines;
    private int currentEpoch = -1;
    private long epochStart;
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
            epochStart = now - 1;
            lastDraw = 0;
        }
        if (now - lastDraw < REDRAW_NANOS && step < stepsPerEpoch) return;
        lastDraw = now;
        String text = render(epoch, epochs, step, stepsPerEpoch, loss, (now - epochStart) / 1e9);
        out.print("\r" + text + " ".repeat(Math.max(0, drawnLength - text.length())));
        out.flush();
        drawnLength = text.length();
    }

    @Override public void epochEnd(EpochStats stats) {
        if (drawnLength > 0) out.print("\r" + " ".repeat(drawnLength) + "\r");
        drawnLength = 0;
        currentEpoch = -1;
        lines.epochEnd(stats);
    }

    /** {@code epoch 3/10 [=========>      ] 512/1000  loss 0.3412  2,150 steps/s  ETA 0:02}. */
    static String render(int epoch, int epochs, int step, int steps, float loss, double seconds) {
        int filled = (int) ((long) WIDTH * step / Math.max(1, steps));
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        double rate = seconds > 0 ? step / seconds : 0;
        long eta = rate > 0 ? Math.round((steps - step) / rate) : 0;
        return String.format(Locale.ROOT, "epoch %d/%d [%s] %d/%d  loss %.4f  %,.0f steps/s  ETA %d:%02d",
                epoch, epochs, bar, step, steps, loss, rate, eta / 60, eta % 60);
    }
}
