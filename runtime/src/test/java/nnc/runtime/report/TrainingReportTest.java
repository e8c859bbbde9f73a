package nnc.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import nnc.runtime.data.Dataset;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.testing.LogisticModel;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.EpochStats;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training report: CSV that matches the run, charts and a decision boundary that show it. */
class TrainingReportTest {
    @TempDir Path dir;

    /** Class 0 around (−2, 0), class 1 around (2, 0): the boundary is near x = 0. */
    private static Dataset blobs(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            x[2 * i] = (float) ((c == 0 ? -2 : 2) + 0.5 * rnd.nextGaussian());
            x[2 * i + 1] = (float) rnd.nextGaussian();
            y[i] = c;
        }
        return Dataset.regression(x, new int[] {2}, y, 1);
    }

    @Test
    void writesCsvChartsAndDecisionBoundaryOfATwoFeatureClassifier() throws Exception {
        LogisticModel m = new LogisticModel(2, 16, 0.5f);
        ParamInit.initialize(m, 1);
        Dataset train = blobs(200, 1);
        TrainOptions options = new TrainOptions(4, 16, 1, true);
        TrainResult r = Trainer.fit(m, train, blobs(50, 2), options, TrainListener.NONE);

        List<Path> files = TrainingReport.write(dir.resolve("report"), TrainingReport.Run.of(m, options), r, m, train);
        assertEquals(List.of("metrics.csv", "loss.png", "accuracy.png", "decision_boundary.png"),
                files.stream().map(p -> p.getFileName().toString()).toList());

        List<String> csv = Files.readAllLines(files.get(0));
        assertEquals("epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds,samples_per_s,val_top_k_accuracy", csv.get(0));
        assertEquals(5, csv.size());
        EpochStats last = r.history().get(3);
        String[] cells = csv.get(4).split(",");
        assertEquals("4", cells[0]);
        assertEquals(last.trainLoss(), Double.parseDouble(cells[1]), 1e-5 * last.trainLoss());
        assertEquals(last.valAccuracy(), Double.parseDouble(cells[4]), 1e-5);

        BufferedImage loss = ImageIO.read(files.get(1).toFile());
        assertEquals(LineChart.WIDTH, loss.getWidth());
        assertTrue(count(loss, 0x1F77B4) > 50, "the training curve is drawn");
        assertTrue(count(loss, 0x202020) > 200, "axes and text are drawn");

        BufferedImage boundary = ImageIO.read(files.get(3).toFile());
        int mid = DecisionBoundary.SIZE / 2;
        int left = boundary.getRGB(10, mid), right = boundary.getRGB(DecisionBoundary.SIZE - 10, mid);
        assertTrue(blue(left) > red(left), "left of the boundary is class 0 (blue): " + Integer.toHexString(left));
        assertTrue(red(right) > blue(right), "right of the boundary is class 1 (orange): " + Integer.toHexString(right));
        assertTrue(count(boundary, 0x1F77B4) > 100 && count(boundary, 0xFF7F0E) > 100, "the data points are drawn");
        assertTrue(Files.list(dir.resolve("report")).noneMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left");
    }

    @Test
    void noAccuracyChartOrBoundaryWithoutAMetric() throws Exception {
        List<EpochStats> h = List.of(new EpochStats(1, 0.5, Double.NaN, Double.NaN, Double.NaN, 1, 100),
                new EpochStats(2, 0.25, Double.NaN, Double.NaN, Double.NaN, 1, 100));
        List<Path> files = TrainingReport.write(dir, new TrainingReport.Run("M", ""), h, null, null);
        assertEquals(List.of("metrics.csv", "loss.png"), files.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals("2,0.250000,,,,1.00000,100.000,", Files.readAllLines(files.get(0)).get(2));
    }

    @Test
    void theRunsSettingsComeFromItsOptions() {
        LogisticModel m = new LogisticModel(2, 16, 0.5f);
        TrainingReport.Run run = TrainingReport.Run.of(m, new TrainOptions(4, 16, 7, true));
        assertEquals(new TrainingReport.Run(m.info().name(), "batch 16, 4 epochs, seed 7"), run);
        assertEquals("sgd(lr=0.5), batch 16, 4 epochs, seed 7", run.withOptimizer("sgd(lr=0.5)").settings());
        assertEquals("batch 2, 1 epoch, seed 0, early stopping on val_loss (patience 3)",
                TrainingReport.Run.of(m, new TrainOptions(1, 2, 0, true).withEarlyStopping(new EarlyStopping(3, "val_loss", 0))).settings());
    }

    /** The chart's title and settings line are exactly the text, drawn in the font's lower and upper case. */
    @Test
    void chartsCarryTheTitleSettingsAndAxisTitlesInNormalCase() {
        double[] x = {1, 2, 3};
        LineChart.Spec spec = new LineChart.Spec("Blobs: loss per epoch", "sgd(lr=0.5), batch 16", "epoch", "loss", x,
                List.of(new LineChart.Series("training", new double[] {0.9, 0.5, 0.4}, 0x1F77B4, false)), null);
        BufferedImage chart = LineChart.render(spec);
        BufferedImage expected = new BufferedImage(LineChart.WIDTH, LineChart.HEIGHT, BufferedImage.TYPE_INT_RGB);
        int tx = (LineChart.WIDTH - BitmapFont.width(spec.title(), 2)) / 2, sx = (LineChart.WIDTH - BitmapFont.width(spec.subtitle(), 1)) / 2;
        BitmapFont.draw(expected, spec.title(), tx, 10, LineChart.INK, 2);
        BitmapFont.draw(expected, spec.subtitle(), sx, 30, LineChart.MUTED, 1);
        for (int y = 10; y < 10 + 18; y++)
            for (int px = tx; px < tx + BitmapFont.width(spec.title(), 2); px++)
                assertEquals((expected.getRGB(px, y) & 0xFFFFFF) == LineChart.INK, (chart.getRGB(px, y) & 0xFFFFFF) == LineChart.INK, "title pixel " + px + "," + y);
        for (int y = 30; y < 39; y++)
            for (int px = sx; px < sx + BitmapFont.width(spec.subtitle(), 1); px++)
                assertEquals((expected.getRGB(px, y) & 0xFFFFFF) == LineChart.MUTED, (chart.getRGB(px, y) & 0xFFFFFF) == LineChart.MUTED, "settings pixel " + px + "," + y);
        assertTrue(inkIn(chart, 0, LineChart.TOP, 20, LineChart.HEIGHT - LineChart.BOTTOM) > 20, "the y axis's title, left of the tick labels");
        assertTrue(inkIn(chart, LineChart.LEFT, LineChart.HEIGHT - 22, LineChart.WIDTH - LineChart.RIGHT, LineChart.HEIGHT) > 20, "the x axis's title");
    }

    @Test
    void lowerCaseLettersHaveTheirOwnGlyphs() {
        for (char c = 'a'; c <= 'z'; c++) {
            assertTrue(BitmapFont.hasGlyph(c) && BitmapFont.hasGlyph(Character.toUpperCase(c)), String.valueOf(c));
            BufferedImage lower = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), upper = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            BitmapFont.draw(lower, String.valueOf(c), 0, 0, 0xFFFFFF, 1);
            BitmapFont.draw(upper, String.valueOf(Character.toUpperCase(c)), 0, 0, 0xFFFFFF, 1);
            assertTrue(count(lower, 0xFFFFFF) > 3, "a glyph for " + c);
            boolean differs = false;
            for (int y = 0; y < 8; y++) for (int px = 0; px < 8; px++) differs |= lower.getRGB(px, y) != upper.getRGB(px, y);
            if (c != 'o' && c != 's' && c != 'v' && c != 'w' && c != 'x' && c != 'z' && c != 'c') assertTrue(differs, c + " is not drawn as " + Character.toUpperCase(c));
        }
    }

    /** A curve that ends in the top right corner, where legends usually sit: the legend is above the plot, nothing is drawn over the curves. */
    @Test
    void theLegendIsOutsideThePlot() {
        double[] x = {1, 2, 3, 4, 5}, rising = {0.1, 0.3, 0.5, 0.7, 0.9}, falling = {0.9, 0.7, 0.5, 0.3, 0.1};
        BufferedImage chart = LineChart.render(new LineChart.Spec("t", "s", "epoch", "accuracy", x, List.of(
                new LineChart.Series("training", rising, 0x1F77B4, false), new LineChart.Series("validation", falling, 0xD62728, true)), new double[] {0, 1}));
        int plotRight = LineChart.WIDTH - LineChart.RIGHT, plotBottom = LineChart.HEIGHT - LineChart.BOTTOM;
        assertEquals(0, inkIn(chart, LineChart.LEFT + 1, LineChart.TOP + 1, plotRight, plotBottom), "no text inside the plot");
        assertTrue(countIn(chart, 0x1F77B4, 0, 40, LineChart.WIDTH, LineChart.TOP) >= 20, "the legend's training sample, above the plot");
        assertTrue(countIn(chart, 0xD62728, 0, 40, LineChart.WIDTH, LineChart.TOP) >= 10, "the legend's validation sample, above the plot");
        assertTrue(inkIn(chart, LineChart.WIDTH / 2, 40, plotRight, LineChart.TOP) > 30, "the legend's names");
    }

    @Test
    void theYRangeFitsTheDataWithinItsBounds() {
        List<LineChart.Series> acc = List.of(new LineChart.Series("a", new double[] {0.81, 0.9, 0.93}, 0, false));
        double[] r = LineChart.yRange(acc, new double[] {0, 1});
        assertTrue(r[0] <= 0.81 && r[0] >= 0.7 && r[1] >= 0.93 && r[1] <= 1.0, Arrays.toString(r));
        double[] top = LineChart.yRange(List.of(new LineChart.Series("a", new double[] {0.5, 0.99, 1.0}, 0, false)), new double[] {0, 1});
        assertEquals(1.0, top[1], "an accuracy of 1 at the top, not beyond");
        double[] loss = LineChart.yRange(List.of(new LineChart.Series("l", new double[] {2.3, 0.4, Double.NaN, 0.35}, 0, false)), null);
        assertTrue(loss[0] <= 0.35 && loss[0] >= 0 && loss[1] >= 2.3 && loss[1] <= 2.6, Arrays.toString(loss));
        double[] toZero = LineChart.yRange(List.of(new LineChart.Series("l", new double[] {0.55, 0.1, 0.0004}, 0, false)), null);
        assertEquals(0.0, toZero[0], "a loss that reaches 0 starts the axis at 0, not below");
    }

    private static int inkIn(BufferedImage img, int x0, int y0, int x1, int y1) { return countIn(img, LineChart.INK, x0, y0, x1, y1); }

    private static int countIn(BufferedImage img, int rgb, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++) if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) n++;
        return n;
    }

    @Test
    void ticksAreRoundNumbersInsideTheRange() {
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), box(LineChart.Ticks.of(0, 1, 6, 0)));
        assertEquals(List.of(1.0, 2.0, 3.0), box(LineChart.Ticks.of(1, 3, 8, 1)));
        assertEquals("0.25", LineChart.Ticks.label(0.25));
        assertEquals("1.0e-04", LineChart.Ticks.label(1e-4));
    }

    private static List<Double> box(double[] a) {
        return Arrays.stream(a).map(v -> Math.round(v * 1e9) / 1e9).boxed().toList();
    }

    private static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) n++;
        return n;
    }

    private static int red(int rgb) { return (rgb >> 16) & 0xFF; }

    private static int blue(int rgb) { return rgb & 0xFF; }
}
