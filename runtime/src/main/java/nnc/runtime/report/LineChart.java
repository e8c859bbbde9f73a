package nnc.runtime.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A line chart of per-epoch values (training and validation curves) as an image: a title and a line
 * of run settings, a legend above the plot (never over the curves), axes with titles and round
 * tick values, a y range fitted to the data, one polyline per series (NaN points break the line).
 * Drawn with Java2D and the built-in {@link BitmapFont}, so it needs no fonts and renders
 * identically everywhere.
 */
final class LineChart {
    static final int WIDTH = 640, HEIGHT = 420;
    static final int LEFT = 84, RIGHT = 20, TOP = 64, BOTTOM = 50;
    static final int INK = 0x202020, MUTED = 0x606060;
    private static final int GRID = 0xE4E4E4, BACKGROUND = 0xFFFFFF;

    /** One curve: a value per x (NaN where there is none). */
    record Series(String name, double[] values, int rgb, boolean dashed) {}

    /**
     * What a chart shows.
     *
     * @param title    the first line, large (the model and the quantity)
     * @param subtitle the second line (the run's settings); may be empty
     * @param xTitle   the x axis's title
     * @param yTitle   the y axis's title
     * @param bounds   limits the fitted y range stays within (0..1 for an accuracy), or null
     */
    record Spec(String title, String subtitle, String xTitle, String yTitle, double[] x, List<Series> series, double[] bounds) {}

    private LineChart() {}

    static BufferedImage render(Spec spec) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(BACKGROUND));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);

        double[] x = spec.x();
        double xMin = x.length == 0 ? 0 : x[0], xMax = x.length == 0 ? 1 : x[x.length - 1];
        if (xMax <= xMin) xMax = xMin + 1;
        double[] y = yRange(spec.series(), spec.bounds());
        double yMin = y[0], yMax = y[1];
        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        Axis xa = new Axis(xMin, xMax, LEFT, LEFT + plotW), ya = new Axis(yMin, yMax, TOP + plotH, TOP);

        for (double t : Ticks.of(yMin, yMax, 6, 0)) {
            int py = ya.pixel(t);
            g.setColor(new Color(GRID));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            String label = Ticks.label(t);
            BitmapFont.draw(img, label, LEFT - 8 - BitmapFont.width(label, 1), py - 3, INK, 1);
        }
        for (double t : Ticks.of(xMin, xMax, 8, 1)) {
            int px = xa.pixel(t);
            g.setColor(new Color(GRID));
            g.drawLine(px, TOP, px, TOP + plotH);
            String label = Ticks.label(t);
            BitmapFont.draw(img, label, px - BitmapFont.width(label, 1) / 2, TOP + plotH + 8, INK, 1);
        }
        g.setColor(new Color(INK));
        g.drawRect(LEFT, TOP, plotW, plotH);

        g.setClip(LEFT, TOP, plotW + 1, plotH + 1);
        for (Series s : spec.series()) {
            g.setColor(new Color(s.rgb()));
            g.setStroke(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < x.length && i < s.values().length; i++) {
                double v = s.values()[i];
                if (!Double.isFinite(v)) { pen = false; continue; }
                double px = xa.exact(x[i]), py = ya.exact(v);
                if (pen) path.lineTo(px, py); else path.moveTo(px, py);
                pen = true;
                if (x.length == 1) g.fillOval((int) px - 3, (int) py - 3, 6, 6);
            }
            g.draw(path);
        }
        g.dispose();

        String title = fit(spec.title(), 2), subtitle = fit(spec.subtitle(), 1);
        BitmapFont.draw(img, title, (WIDTH - BitmapFont.width(title, 2)) / 2, 10, INK, 2);
        BitmapFont.draw(img, subtitle, (WIDTH - BitmapFont.width(subtitle, 1)) / 2, 30, MUTED, 1);
        BitmapFont.draw(img, spec.xTitle(), LEFT + (plotW - BitmapFont.width(spec.xTitle(), 1)) / 2, HEIGHT - 20, INK, 1);
        BitmapFont.drawUp(img, spec.yTitle(), 10, TOP + (plotH + BitmapFont.width(spec.yTitle(), 1)) / 2, INK, 1);
        legend(img, spec.series(), LEFT + plotW, TOP - 16);
        return img;
    }

    /** The legend in one row above the plot, ending at {@code right}: a line sample and the name of each series that has a value. */
    private static void legend(BufferedImage img, List<Series> series, int right, int y) {
        int width = 0;
        for (Series s : series) if (drawn(s)) width += (width > 0 ? 16 : 0) + 26 + BitmapFont.width(s.name(), 1);
        int lx = right - width;
        for (Series s : series) {
            if (!drawn(s)) continue;
            for (int dx = 0; dx < 20; dx++)
                if (!s.dashed() || dx % 10 < 6)
                    for (int dy = -1; dy <= 0; dy++) img.setRGB(lx + dx, y + 3 + dy, s.rgb());
            BitmapFont.draw(img, s.name(), lx + 26, y, INK, 1);
            lx += 26 + BitmapFont.width(s.name(), 1) + 16;
        }
    }

    private static boolean drawn(Series s) { return Arrays.stream(s.values()).anyMatch(Double::isFinite); }

    /**
     * The y range: the finite values' range with 5 % above and below, widened to round tick values,
     * not below 0 when no value is, then kept within {@code bounds} (when not null).
     */
    static double[] yRange(List<Series> series, double[] bounds) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (double v : s.values())
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
        if (!(lo <= hi)) return bounds != null ? bounds.clone() : new double[] {0, 1};
        boolean nonNegative = lo >= 0;
        double pad = hi > lo ? 0.05 * (hi - lo) : Math.max(1e-3, Math.abs(hi) * 0.1);
        lo -= pad;
        hi += pad;
        double step = Ticks.step(lo, hi, 6, 0);
        lo = Math.floor(lo / step) * step;
        hi = Math.ceil(hi / step) * step;
        if (nonNegative) lo = Math.max(lo, 0); // a loss of 0 is the floor: no negative ticks
        if (bounds != null) {
            lo = Math.max(lo, bounds[0]);
            hi = Math.min(hi, bounds[1]);
        }
        return new double[] {lo, hi};
    }

    /** {@code text}, shortened with "..." to fit the image's width at {@code scale}. */
    static String fit(String text, int scale) {
        int max = (WIDTH - 16) / (BitmapFont.ADVANCE * scale);
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 3)) + "...";
    }

    /** A linear map from values to pixels. */
    private record Axis(double lo, double hi, int pixelLo, int pixelHi) {
        double exact(double v) { return pixelLo + (v - lo) / (hi - lo) * (pixelHi - pixelLo); }

        int pixel(double v) { return (int) Math.round(exact(v)); }
    }

    /** Round tick values (1, 2, 5 × 10ⁿ) inside a range, and their labels. */
    static final class Ticks {
        private Ticks() {}

        /** About {@code target} ticks in [lo, hi], no closer than {@code minStep} (1 for epochs; 0 for none). */
        static double[] of(double lo, double hi, int target, double minStep) {
            double step = step(lo, hi, target, minStep);
            double first = Math.ceil(lo / step - 1e-9) * step;
            int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
            double[] t = new double[Math.max(0, n)];
            for (int i = 0; i < t.length; i++) t[i] = first + i * step;
            return t;
        }

        /** The round step (1, 2, 5 × 10ⁿ) of about {@code target} ticks in [lo, hi], at least {@code minStep}. */
        static double step(double lo, double hi, int target, double minStep) {
            double raw = Math.max((hi - lo) / target, minStep);
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            return raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        }

        static String label(double v) {
            if (Math.abs(v) < 1e-12) return "0";
            double a = Math.abs(v);
            if (a >= 1e4 || a < 1e-3) return String.format(Locale.ROOT, "%.1e", v);
            String s = String.format(Locale.ROOT, "%.4f", v);
            s = s.replaceAll("0+$", "");
            return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
