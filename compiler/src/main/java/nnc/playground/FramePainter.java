package nnc.playground;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.train.Json;
import nnc.runtime.train.Trainer;

/**
 * Draws a run's frames from its snapshots on a probe: a second instance of the compiled model,
 * sized for the grid and the data sets, into which each snapshot's parameters are copied. The
 * boundary is the probe's output over the grid, the losses its evaluation of the training and test
 * sets; each hidden neuron's map is computed from the snapshot's weights (dense layers and the
 * activation, as the program says). Not thread-safe: one painter per run, used under its lock.
 */
final class FramePainter {
    private final CompiledModel probe;
    private final Network network;
    private final Grid grid;
    private final Dataset train, test;
    private final float[] points;
    private final String input, output;

    FramePainter(CompiledModel probe, Network network, Grid grid, Dataset train, Dataset test) {
        this.probe = probe;
        this.network = network;
        this.grid = grid;
        this.train = train;
        this.test = test;
        this.points = grid.points();
        this.input = probe.info().withRole(Role.INPUT).get(0).name();
        this.output = probe.info().withRole(Role.OUTPUT).stream().filter(t -> t.hasBatch() && t.rowSize() == 1)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("the model has no output of one value per row")).name();
    }

    Grid grid() { return grid; }

    Dataset train() { return train; }

    /** The test set, or null when the program has none. */
    Dataset test() { return test; }

    /** The protocol's FRAME for {@code s}. */
    synchronized Json paint(Snapshot s) {
        for (TensorSpec p : probe.info().withRole(Role.PARAM)) {
            float[] values = s.params().get(p.name());
            System.arraycopy(values, 0, probe.floats(p.name()), probe.offset(p.name()), values.length);
        }
        double trainLoss = Trainer.evaluate(probe, train, Math.min(probe.maxBatch(), train.rows())).loss();
        double testLoss = test == null ? Double.NaN : Trainer.evaluate(probe, test, Math.min(probe.maxBatch(), test.rows())).loss();
        int cells = grid.size() * grid.size();
        System.arraycopy(points, 0, probe.floats(input), probe.offset(input), points.length);
        probe.predict(cells);
        float[] out = probe.floats(output);
        int off = probe.offset(output);
        byte[] boundary = new byte[cells];
        for (int i = 0; i < cells; i++) boundary[i] = (byte) Math.round(255 * clamp(out[off + i], 0, 1));
        return Json.object().put("epoch", s.epoch()).put("step", s.step()).put("state", s.playing() ? "playing" : "paused")
                .put("trainLoss", trainLoss).put("testLoss", testLoss).put("grid", grid.size())
                .put("boundary", Base64.getEncoder().encodeToString(boundary))
                .put("neurons", neurons(s.params())).put("weights", weights(s.params())).put("biases", biases(s.params()));
    }

    /** Every hidden neuron's activation over the grid, each mapped to 0..255 over the activation's range. */
    List<List<String>> neurons(Map<String, float[]> params) {
        int cells = grid.size() * grid.size();
        List<List<String>> maps = new ArrayList<>();
        float[] layer = points;
        int width = 2;
        for (int l = 0; l < network.hiddenLayers(); l++) {
            int next = network.layers().get(l + 1);
            float[] w = params.get(network.weights().get(l)), b = params.get(network.biases().get(l));
            float[] a = new float[cells * next];
            for (int i = 0; i < cells; i++) {
                for (int j = 0; j < next; j++) {
                    float z = b[j];
                    for (int k = 0; k < width; k++) z += layer[i * width + k] * w[k * next + j];
                    a[i * next + j] = network.activate(z);
                }
            }
            List<String> row = new ArrayList<>();
            for (int j = 0; j < next; j++) row.add(Base64.getEncoder().encodeToString(shades(a, j, next, cells)));
            maps.add(row);
            layer = a;
            width = next;
        }
        return maps;
    }

    /** Neuron {@code j}'s values mapped to bytes: tanh −1..1, sigmoid 0..1, relu and linear 0..their maximum over the grid. */
    private byte[] shades(float[] a, int j, int width, int cells) {
        float lo, hi;
        switch (network.activation()) {
            case "tanh" -> { lo = -1; hi = 1; }
            case "sigmoid" -> { lo = 0; hi = 1; }
            default -> {
                lo = 0;
                hi = 0;
                for (int i = 0; i < cells; i++) hi = Math.max(hi, a[i * width + j]);
            }
        }
        byte[] shade = new byte[cells];
        float span = hi - lo;
        for (int i = 0; i < cells; i++)
            shade[i] = span <= 0 ? 0 : (byte) Math.round(255 * clamp((a[i * width + j] - lo) / span, 0, 1));
        return shade;
    }

    private List<List<List<Float>>> weights(Map<String, float[]> params) {
        List<List<List<Float>>> all = new ArrayList<>();
        for (int l = 0; l < network.weights().size(); l++) {
            float[] w = params.get(network.weights().get(l));
            int in = network.layers().get(l), out = network.layers().get(l + 1);
            List<List<Float>> m = new ArrayList<>();
            for (int i = 0; i < in; i++) {
                List<Float> r = new ArrayList<>();
                for (int j = 0; j < out; j++) r.add(w[i * out + j]);
                m.add(r);
            }
            all.add(m);
        }
        return all;
    }

    private List<List<Float>> biases(Map<String, float[]> params) {
        List<List<Float>> all = new ArrayList<>();
        for (String name : network.biases()) {
            List<Float> r = new ArrayList<>();
            for (float v : params.get(name)) r.add(v);
            all.add(r);
        }
        return all;
    }

    private static float clamp(float v, float lo, float hi) { return Float.isNaN(v) ? lo : Math.max(lo, Math.min(hi, v)); }
}
