package nnc.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nnc.diag.SourceFile;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.SyntheticData;
import org.junit.jupiter.api.Test;

/** A frame's pictures against a forward pass in double precision written here from the weights. */
class FramePainterTest {
    @Test void boundaryAndNeuronMapsMatchAnIndependentForwardPass() {
        for (String activation : List.of("tanh", "relu", "sigmoid", "linear")) {
            Program p = new Program("circles", 100, 0.1, 0, 10, List.of(3, 2), activation, "sgd", 0.1, "none", 0, 1, 1);
            Compilation c = Compilation.of(new SourceFile("t.nn", ProgramRenderer.render(p)));
            Network net = ProgramReader.read(c).network();
            var train = SyntheticData.circles(100, 0.1, 1);
            Grid grid = new Grid(20, -2, 2, -1.5, 2.5);
            FramePainter painter = new FramePainter(c.compiled(Backend.BYTECODE, 400), net, grid, train, null);
            Random random = new Random(5);
            Map<String, float[]> params = new LinkedHashMap<>();
            var model = c.compiled(Backend.BYTECODE, 1);
            for (TensorSpec t : model.info().withRole(Role.PARAM)) {
                float[] v = new float[t.elementCount(1)];
                for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
                params.put(t.name(), v);
            }
            var frame = Client.object(painter.paint(new Snapshot(0, 0, 0, false, params)).toString());
            byte[] boundary = Base64.getDecoder().decode((String) frame.get("boundary"));
            @SuppressWarnings("unchecked") List<List<String>> neurons = (List<List<String>>) frame.get("neurons");
            double[][][] acts = new double[2][][];
            for (int r = 0; r < 20; r++) {
                for (int col = 0; col < 20; col++) {
                    double[] a = {-2 + (col + 0.5) * 0.2, 2.5 - (r + 0.5) * 0.2};
                    for (int l = 0; l < 3; l++) {
                        float[] w = params.get(net.weights().get(l)), b = params.get(net.biases().get(l));
                        int out = b.length;
                        double[] z = new double[out];
                        for (int j = 0; j < out; j++) {
                            z[j] = b[j];
                            for (int k = 0; k < a.length; k++) z[j] += a[k] * w[k * out + j];
                            if (l < 2) z[j] = act(activation, z[j]);
                        }
                        if (l < 2) {
                            if (acts[l] == null) acts[l] = new double[out][400];
                            for (int j = 0; j < out; j++) acts[l][j][r * 20 + col] = z[j];
                        }
                        a = z;
                    }
                    int expected = (int) Math.round(255 / (1 + Math.exp(-a[0])));
                    int got = boundary[r * 20 + col] & 0xFF;
                    assertTrue(Math.abs(expected - got) <= 1, activation + " boundary at " + r + "," + col + ": " + got + " vs " + expected);
                }
            }
            for (int l = 0; l < 2; l++) {
                for (int j = 0; j < acts[l].length; j++) {
                    byte[] map = Base64.getDecoder().decode(neurons.get(l).get(j));
                    assertEquals(400, map.length);
                    double max = 0;
                    for (double v : acts[l][j]) max = Math.max(max, v);
                    for (int i = 0; i < 400; i++) {
                        double v = acts[l][j][i];
                        double unit = switch (activation) {
                            case "tanh" -> (v + 1) / 2;
                            case "sigmoid" -> v;
                            default -> max <= 0 ? 0 : Math.max(0, v) / max;
                        };
                        int expected = (int) Math.round(255 * unit), got = map[i] & 0xFF;
                        assertTrue(Math.abs(expected - got) <= 1, activation + " neuron " + l + "." + j + " at " + i + ": " + got + " vs " + expected);
                    }
                }
            }
        }
    }

    private static double act(String name, double z) {
        return switch (name) {
            case "tanh" -> Math.tanh(z);
            case "relu" -> Math.max(z, 0);
            case "sigmoid" -> 1 / (1 + Math.exp(-z));
            default -> z;
        };
    }
}
