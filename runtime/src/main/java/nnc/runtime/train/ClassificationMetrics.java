package nnc.runtime.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * Precision, recall and F1 per class and their macro averages, from a confusion matrix
 * ({@code confusion[true class][predicted class]}), as scikit-learn's {@code precision_recall_fscore_support}
 * computes them with {@code average='macro'} and {@code zero_division=0}: a class never predicted
 * has precision 0, a class never true has recall 0, and the averages are over the classes that are
 * true or predicted at least once (every class when none is).
 */
public record ClassificationMetrics(long[][] confusion, double[] precision, double[] recall, double[] f1,
                                    double macroPrecision, double macroRecall, double macroF1) {
    public ClassificationMetrics {
        confusion = Arrays.stream(confusion).map(long[]::clone).toArray(long[][]::new);
        precision = precision.clone();
        recall = recall.clone();
        f1 = f1.clone();
    }

    /** The metrics of {@code confusion} (square). */
    public static ClassificationMetrics of(long[][] confusion) {
        int c = confusion.length;
        double[] p = new double[c], r = new double[c], f = new double[c];
        double sp = 0, sr = 0, sf = 0;
        int counted = 0;
        for (int k = 0; k < c; k++) {
            long tp = confusion[k][k], truths = 0, predictions = 0;
            for (int j = 0; j < c; j++) {
                truths += confusion[k][j];
                predictions += confusion[j][k];
            }
            p[k] = predictions == 0 ? 0 : (double) tp / predictions;
            r[k] = truths == 0 ? 0 : (double) tp / truths;
            f[k] = p[k] + r[k] == 0 ? 0 : 2 * p[k] * r[k] / (p[k] + r[k]);
            if (truths + predictions > 0) {
                sp += p[k];
                sr += r[k];
                sf += f[k];
                counted++;
            }
        }
        if (counted == 0) return new ClassificationMetrics(confusion, p, r, f, 0, 0, 0);
        return new ClassificationMetrics(confusion, p, r, f, sp / counted, sr / counted, sf / counted);
    }

    @Override public boolean equals(Object o) {
        return o instanceof ClassificationMetrics m && Arrays.deepEquals(confusion, m.confusion);
    }

    @Override public int hashCode() { return Arrays.deepHashCode(confusion); }

    @Override public String toString() {
        return String.format(Locale.ROOT, "precision %.4f, recall %.4f, F1 %.4f (macro)", macroPrecision, macroRecall, macroF1);
    }
}
