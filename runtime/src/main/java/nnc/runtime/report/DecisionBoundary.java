package nnc.runtime.report;

import java.awt.image.BufferedImage;
import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.train.Accuracy;
import nnc.runtime.train.Metrics;

/**
 * The lectures' playground picture: for a model with one f32 input of two features and an accuracy
 * metric, the plane coloured by the class the model predicts at each pixel (lighter where a
 * one-column probability is near its threshold), with the data points on top in their true class.
 */
final class DecisionBoundary {
    static final int SIZE = 400;
    private static final int[] CLASS_RGB = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF};

    private DecisionBoundary() {}

    /** True when {@code model} has a single two-feature f32 input and an accuracy metric to predict with. */
    static boolean applies(CompiledModel model, Dataset data) {
        List<TensorSpec> inputs = model.info().withRole(Role.INPUT);
        return inputs.size() == 1 && inputs.get(0).dtype() == DType.F32 && inputs.get(0).rowSize() == 2
                && data.featureSize() == 2 && Metrics.of(model.info()).accuracy() != null;
    }

    /** Runs {@code model.predict} over a grid covering {@code data} (which it overwrites the input of) and draws the picture. */
    static BufferedImage render(CompiledModel model, Dataset data) {
        if (!applies(model, data)) throw new IllegalArgumentException("a decision boundary needs one 2-feature input and an accuracy metric");
        Accuracy acc = Metrics.of(model.info()).accuracy();
        String input = model.info().withRole(Role.INPUT).get(0).name();
        float[] xs = data.x();
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY, minY = minX, maxY = maxX;
        for (int i = 0; i < data.rows(); i++) {
            minX = Math.min(minX, xs[2 * i]);
            maxX = Math.max(maxX, xs[2 * i]);
            minY = Math.min(minY, xs[2 * i + 1]);
            maxY = Math.max(maxY, xs[2 * i + 1]);
        }
        double padX = Math.max(1e-3, 0.1 * (maxX - minX)), padY = Math.max(1e-3, 0.1 * (maxY - minY));
        minX -= padX; maxX += padX; minY -= padY; maxY += padY;

        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        int batch = model.maxBatch(), total = SIZE * SIZE;
        float[] in = model.floats(input);
        int inOff = model.offset(input);
        for (int from = 0; from < total; from += batch) {
            int b = Math.min(batch, total - from);
            for (int k = 0; k < b; k++) {
                int px = (from + k) % SIZE, py = (from + k) / SIZE;
                in[inOff + 2 * k] = (float) (minX + (px + 0.5) / SIZE * (maxX - minX));
                in[inOff + 2 * k + 1] = (float) (maxY - (py + 0.5) / SIZE * (maxY - minY));
            }
            model.predict(b);
            float[] out = model.floats(acc.output());
            int o = model.offset(acc.output());
            for (int k = 0; k < b; k++) {
                int cls;
                double strength;
                if (acc.classes() == 1) {
                    float score = out[o + k * acc.positions()];
                    cls = score > acc.threshold() ? 1 : 0;
                    boolean probability = acc.threshold() == 0.5f;
                    strength = probability ? Math.min(1, 2 * Math.abs(score - 0.5)) : 1;
                } else {
                    int base = o + k * acc.positions() * acc.classes();
                    cls = 0;
                    for (int c = 1; c < acc.classes(); c++) if (out[base + c] > out[base + cls]) cls = c;
                    strength = 1;
                }
                img.setRGB((from + k) % SIZE, (from + k) / SIZE, tint(CLASS_RGB[cls % CLASS_RGB.length], 0.15 + 0.35 * strength));
            }
        }
        for (int i = 0; i < data.rows(); i++) {
            int px = (int) ((xs[2 * i] - minX) / (maxX - minX) * SIZE), py = (int) ((maxY - xs[2 * i + 1]) / (maxY - minY) * SIZE);
            int rgb = CLASS_RGB[label(data, i) % CLASS_RGB.length];
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++) {
                    if (dx * dx + dy * dy > 5 || px + dx < 0 || py + dy < 0 || px + dx >= SIZE || py + dy >= SIZE) continue;
                    img.setRGB(px + dx, py + dy, dx * dx + dy * dy > 2 ? 0xFFFFFF : rgb);
                }
        }
        return img;
    }

    private static int label(Dataset data, int row) {
        if (data.hasClassIndex()) return data.classIndex()[row];
        float[] y = data.labelRows();
        int w = data.labelWidth();
        if (w == 1) return y[row] > 0.5f ? 1 : 0;
        int best = 0;
        for (int c = 1; c < w; c++) if (y[row * w + c] > y[row * w + best]) best = c;
        return best;
    }

    /** {@code rgb} mixed with white: {@code amount} of the colour. */
    private static int tint(int rgb, double amount) {
        int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
        r = (int) Math.round(255 - amount * (255 - r));
        g = (int) Math.round(255 - amount * (255 - g));
        b = (int) Math.round(255 - amount * (255 - b));
        return (r << 16) | (g << 8) | b;
    }
}
