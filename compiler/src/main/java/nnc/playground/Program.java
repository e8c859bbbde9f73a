package nnc.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nnc.runtime.io.JsonParser;
import nnc.runtime.train.Json;

/**
 * The playground's controls as one value (the protocol's PROGRAM): data set, network and training
 * settings of a 2-input binary classifier. {@link ProgramRenderer} writes it as a {@code .nn}
 * source, {@link ProgramReader} reads it back from one.
 */
public record Program(String dataset, int n, double noise, double testFraction, int batch, List<Integer> hidden,
                      String activation, String optimizer, double lr, String regularization, double regRate,
                      int epochs, long seed) {
    public static final Set<String> DATASETS = Set.of("circles", "xor", "gaussians", "spiral");
    public static final Set<String> ACTIVATIONS = Set.of("tanh", "relu", "sigmoid", "linear");
    public static final Set<String> OPTIMIZERS = Set.of("sgd", "momentum", "adam");
    public static final Set<String> REGULARIZATIONS = Set.of("none", "l1", "l2");
    /** The page's limits on the network: at most this many hidden layers of at most {@link #MAX_NEURONS} each. */
    public static final int MAX_LAYERS = 6, MAX_NEURONS = 8;
    /** At most this many rows in a data set (training and test together). */
    public static final int MAX_ROWS = 5000;

    public Program {
        hidden = List.copyOf(hidden);
        check(DATASETS.contains(dataset), "dataset must be one of circles, xor, gaussians, spiral");
        check(n >= 2 && n <= MAX_ROWS, "n must be 2 .. " + MAX_ROWS);
        check(noise >= 0 && noise <= 10, "noise must be 0 .. 10");
        check(testFraction >= 0 && testFraction <= 0.9, "testFraction must be 0 .. 0.9");
        check(batch >= 1 && batch <= MAX_ROWS, "batch must be 1 .. " + MAX_ROWS);
        check(hidden.size() <= MAX_LAYERS, "at most " + MAX_LAYERS + " hidden layers");
        for (int k : hidden) check(k >= 1 && k <= MAX_NEURONS, "a hidden layer has 1 .. " + MAX_NEURONS + " neurons");
        check(ACTIVATIONS.contains(activation), "activation must be one of tanh, relu, sigmoid, linear");
        check(OPTIMIZERS.contains(optimizer), "optimizer must be one of sgd, momentum, adam");
        check(lr > 0 && lr <= 10, "lr must be > 0 and at most 10");
        check(REGULARIZATIONS.contains(regularization), "regularization must be none, l1 or l2");
        check(regRate >= 0 && regRate <= 10, "regRate must be 0 .. 10");
        check(epochs >= 1 && epochs <= 1_000_000, "epochs must be 1 .. 1000000");
        check(seed >= 0, "seed must be 0 or more");
        check(testRows() < n, "the training set would be empty");
    }

    /** The rows of the test set: {@code round(n × testFraction)}. */
    public int testRows() { return (int) Math.round(n * testFraction); }

    /** The rows of the training set. */
    public int trainRows() { return n - testRows(); }

    /** Layer widths from the input to the output: {@code [2, hidden..., 1]}. */
    public List<Integer> layers() {
        List<Integer> l = new ArrayList<>();
        l.add(2);
        l.addAll(hidden);
        l.add(1);
        return l;
    }

    /** The protocol's JSON object. */
    public Json json() {
        return Json.object().put("dataset", dataset).put("n", n).put("noise", noise).put("testFraction", testFraction)
                .put("batch", batch).put("hidden", hidden).put("activation", activation).put("optimizer", optimizer)
                .put("lr", lr).put("regularization", regularization).put("regRate", regRate).put("epochs", epochs)
                .put("seed", seed);
    }

    /**
     * Reads a PROGRAM object as parsed by {@link JsonParser}.
     *
     * @throws IllegalArgumentException naming the first missing or bad field
     */
    public static Program fromJson(Object value) {
        if (!(value instanceof Map<?, ?> m)) throw new IllegalArgumentException("program must be a JSON object");
        List<Integer> hidden = new ArrayList<>();
        if (!(m.get("hidden") instanceof List<?> hl)) throw new IllegalArgumentException("program.hidden must be an array of integers");
        for (Object o : hl) hidden.add((int) whole(o, "hidden"));
        return new Program(string(m, "dataset"), (int) whole(m.get("n"), "n"), number(m, "noise"), number(m, "testFraction"),
                (int) whole(m.get("batch"), "batch"), hidden, string(m, "activation"), string(m, "optimizer"),
                number(m, "lr"), string(m, "regularization"), number(m, "regRate"), (int) whole(m.get("epochs"), "epochs"),
                whole(m.get("seed"), "seed"));
    }

    private static String string(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof String s)) throw new IllegalArgumentException("program." + key + " must be a string");
        return s;
    }

    private static double number(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number x)) throw new IllegalArgumentException("program." + key + " must be a number");
        return x.doubleValue();
    }

    private static long whole(Object o, String key) {
        if (o instanceof Long l) return clamp(l, key);
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) return clamp(d.longValue(), key);
        throw new IllegalArgumentException("program." + key + " must be a whole number");
    }

    private static long clamp(long v, String key) {
        if (!key.equals("seed") && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE))
            throw new IllegalArgumentException("program." + key + " is out of range");
        return v;
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
