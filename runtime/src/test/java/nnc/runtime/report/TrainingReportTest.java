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
        TrainResult r = Trainer.fit(m, train, blobs(50, 2), new TrainOptions(4, 16, 1, true), TrainListener.NONE);

        List<Path> files = TrainingReport.write(dir.resolve("report"), r.history(), m, train);
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
        List<Path> files = TrainingReport.write(dir, h, null, null);
        assertEquals(List.of("metrics.csv", "loss.png"), files.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals("2,0.250000,,,,1.00000,100.000,", Files.readAllLines(files.get(0)).get(2));
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
