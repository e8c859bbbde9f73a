package nnc.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the runtime needs to know about a compiled model: its named tensors, which output is
 * the loss, and which metrics to report. Generated classes embed it as one string
 * ({@link #encode()}), so both emitters carry it the same way.
 *
 * @param metrics       metric specs such as {@code accuracy:logits:y} (metric, output, target)
 * @param targetClasses for each i32 target that holds class indices, the number of classes the
 *                      model scores (the width of the logits its loss reads): a label must be in
 *                      {@code 0 .. classes-1}
 */
public record ModelInfo(String name, List<TensorSpec> tensors, String lossName, List<String> metrics,
                        Map<String, Integer> targetClasses) {
    /** The last field of an inference state tensor's line in {@link #encode()}. */
    private static final String INFERENCE = "inference";

    public ModelInfo {
        tensors = List.copyOf(tensors);
        metrics = List.copyOf(metrics);
        targetClasses = Map.copyOf(targetClasses);
    }

    /** A model whose targets' class counts are not known. */
    public ModelInfo(String name, List<TensorSpec> tensors, String lossName, List<String> metrics) {
        this(name, tensors, lossName, metrics, Map.of());
    }

    public List<TensorSpec> withRole(Role role) {
        return tensors.stream().filter(t -> t.role() == role).toList();
    }

    /** The state the evaluate and predict entries read (batch norm's running statistics), in model order. */
    public List<TensorSpec> inferenceState() {
        return tensors.stream().filter(TensorSpec::inferenceState).toList();
    }

    /** The trained model, what {@code --save} writes: the parameters, then the inference state. */
    public List<TensorSpec> trained() {
        List<TensorSpec> out = new ArrayList<>(withRole(Role.PARAM));
        out.addAll(inferenceState());
        return out;
    }

    public Optional<TensorSpec> find(String tensorName) {
        return tensors.stream().filter(t -> t.name().equals(tensorName)).findFirst();
    }

    public TensorSpec get(String tensorName) {
        return find(tensorName).orElseThrow(() -> new IllegalArgumentException("model " + name + " has no tensor " + tensorName));
    }

    /**
     * One line per tensor: {@code ROLE|name|dtype|d0,d1|init}, followed by {@code |inference} for
     * inference state (a field older texts lack, and older readers ignore); header
     * {@code model|name|loss|metric;metric|target=classes;...}.
     */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        sb.append("model|").append(name).append('|').append(lossName).append('|').append(String.join(";", metrics));
        if (!targetClasses.isEmpty())
            sb.append('|').append(String.join(";", new TreeMap<>(targetClasses).entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        sb.append('\n');
        for (TensorSpec t : tensors) {
            StringBuilder dims = new StringBuilder();
            for (int i = 0; i < t.rank(); i++) dims.append(i == 0 ? "" : ",").append(t.dim(i));
            sb.append(t.role()).append('|').append(t.name()).append('|').append(t.dtype()).append('|')
              .append(dims).append('|').append(t.init() == null ? "" : t.init().encode());
            if (t.inferenceState()) sb.append('|').append(INFERENCE);
            sb.append('\n');
        }
        return sb.toString();
    }

    public static ModelInfo decode(String text) {
        String[] lines = text.split("\n");
        String[] head = lines[0].split("\\|", -1);
        if (!head[0].equals("model")) throw new IllegalArgumentException("not a model description");
        List<TensorSpec> tensors = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) continue;
            String[] f = lines[i].split("\\|", -1);
            String[] dimTexts = f[3].isEmpty() ? new String[0] : f[3].split(",");
            int[] dims = new int[dimTexts.length]; // a loop, not a stream: each trainer's constructor decodes, on a cold start too
            for (int d = 0; d < dims.length; d++) dims[d] = Integer.parseInt(dimTexts[d]);
            tensors.add(new TensorSpec(f[1], Role.valueOf(f[0]), DType.valueOf(f[2]), dims,
                    f[4].isEmpty() ? null : Init.decode(f[4]), f.length > 5 && f[5].equals(INFERENCE)));
        }
        List<String> metrics = head[3].isEmpty() ? List.of() : List.of(head[3].split(";"));
        Map<String, Integer> classes = new HashMap<>();
        if (head.length > 4 && !head[4].isEmpty())
            for (String kv : head[4].split(";")) classes.put(kv.substring(0, kv.indexOf('=')), Integer.parseInt(kv.substring(kv.indexOf('=') + 1)));
        return new ModelInfo(head[1], tensors, head[2], metrics, classes);
    }
}
