package nnc.runtime.train;

import java.util.ArrayList;
import java.util.List;
import nnc.runtime.ModelInfo;

/**
 * The metrics a model declares ({@link ModelInfo#metrics()}), parsed: accuracy and top-k
 * accuracy; specs of other kinds are kept in {@link #unsupported()} so a front end can say they
 * are skipped.
 */
public record Metrics(List<Accuracy> accuracies, List<TopK> topKs, List<String> unsupported) {
    public Metrics {
        accuracies = List.copyOf(accuracies);
        topKs = List.copyOf(topKs);
        unsupported = List.copyOf(unsupported);
    }

    /** Parses every metric of {@code info}. */
    public static Metrics of(ModelInfo info) {
        List<Accuracy> acc = new ArrayList<>();
        List<TopK> topK = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String spec : info.metrics()) {
            if (spec.startsWith("accuracy:")) acc.add(Accuracy.parse(spec, info));
            else if (spec.startsWith("topk:")) topK.add(TopK.parse(spec, info));
            else other.add(spec);
        }
        return new Metrics(acc, topK, other);
    }

    /** The accuracy the trainer reports (the first declared), or null if there is none. */
    public Accuracy accuracy() {
        return accuracies.isEmpty() ? null : accuracies.get(0);
    }

    /** The top-k accuracy the trainer reports (the first declared), or null if there is none. */
    public TopK topK() {
        return topKs.isEmpty() ? null : topKs.get(0);
    }
}
