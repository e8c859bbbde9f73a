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
 * A line chart of per-epoch values (training and validation curves) as an image: axes with round
 * tick values, one polyline per series (NaN points break the line), a legend. Drawn with Java2D
 * and the built-in {@link BitmapFont}, so it needs no fonts and renders identically everywhere.
 */
final class LineChart {
    static final int WIDTH = 640, HEIGHT = 400;
    private static final int LEFT = 78, RIGHT = 20, TOP = 40, BOTTOM = 50;
    private static final int INK = 0x202020, GRID = 0xE4E4E4, BACKGROUND = 0xFFFFFF;

    /** One curve: a value per x (NaN where there is none). */
    record Series(String name, double[] values, int rgb, boolean dashed) {}

    private LineChart() {}

    /** Renders {@code series} over {@code x}; {@code yRange} fixes the y axis (e.g. 0..1 for accuracy) or is null to fit the data. */
    static BufferedImage render(String title, String xLabel, double[] x, List<Series> series, double[] yRange) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(BACKGROUND));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);

        double xMin = x.length == 0 ? 0 : x[0], xMax = x.length == 0 ? 1 : x[x.length - 1];
        if (xMax <= xMin) xMax = xMin + 1;
        double yMin, yMax;
        if (yRange != null) {
            yMin = yRange[0];
            yMax = yRange[1];
        } else {
            yMin = Double.POSITIVE_INFINITY;
            yMax = Double.NEGATIVE_INFINITY;
            for (Series s : series)
                for (double v : s.values())
                    if (Double.isFinite(v)) {
                        yMin = Math.min(yMin, v);
                        yMax = Math.max(yMax, v);
                    }
            if (!(yMin <= yMax)) { yMin = 0; yMax = 1; }
            double pad = yMax > yMin ? 0.05 * (yMax - yMin) : Math.max(1e-3, Math.abs(yMax) * 0.1);
            yMin -= pad;
            yMax += pad;
        }
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

        for (Series s : series) {
            g.setColor(new Color(s.rgb()));
            g.setStroke(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < x.length && i < s.values().length; i++) {
                double v = s.values()[i];
                if (!Double.isFinite(v)) { pen = false; continue; }
                double px = xa.exact(x[i]), py = ya.exact(Math.max(yMin, Math.min(yMax, v)));
                if (pen) path.lineTo(px, py); else path.moveTo(px, py);
                pen = true;
                if (x.length == 1) g.fillOval((int) px - 3, (int) py - 3, 6, 6);
            }
            g.draw(path);
        }
        g.dispose();

        BitmapFont.draw(img, title, (WIDTH - BitmapFont.width(title, 2)) / 2, 12, INK, 2);
        BitmapFont.draw(img, xLabel, LEFT + (plotW - BitmapFont.width(xLabel, 1)) / 2, HEIGHT - 20, INK, 1);
        int ly = TOP + 10;
        for (Series s : series) {
            if (Arrays.stream(s.values()).noneMatch(Double::isFinite)) continue;
            int lx = LEFT + plotW - 10 - BitmapFont.width(s.name(), 1) - 26;
            for (int dx = 0; dx < 20; dx++)
                if (!s.dashed() || dx % 10 < 6)
                    for (int dy = -1; dy <= 0; dy++) img.setRGB(lx + dx, ly + 3 + dy, s.rgb());
            BitmapFont.draw(img, s.name(), lx + 26, ly, INK, 1);
            ly += 14;
        }
        return img;
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
            double raw = Math.max((hi - lo) / target, minStep);
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
            double first = Math.ceil(lo / step) * step;
            int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
            double[] t = new double[Math.max(0, n)];
            for (int i = 0; i < t.length; i++) t[i] = first + i * step;
            return t;
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
