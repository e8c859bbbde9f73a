package nnc.playground;

import java.util.List;

/**
 * The network of a program in the playground's form: dense layers of widths {@code layers} (the
 * input's 2 first, the output's 1 last), every hidden layer through {@code activation}, and the
 * names of each layer's weight matrix ({@code [in, out]}) and bias in the compiled model.
 */
public record Network(List<Integer> layers, String activation, List<String> weights, List<String> biases) {
    public Network {
        layers = List.copyOf(layers);
        weights = List.copyOf(weights);
        biases = List.copyOf(biases);
    }

    /** The number of hidden layers. */
    public int hiddenLayers() { return layers.size() - 2; }

    /** The activation as a function of its input. */
    public float activate(float z) {
        return switch (activation) {
            case "tanh" -> (float) Math.tanh(z);
            case "relu" -> Math.max(z, 0f);
            case "sigmoid" -> (float) (1 / (1 + Math.exp(-z)));
            default -> z;
        };
    }
}
