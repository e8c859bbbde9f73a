package nnc.check;

import java.util.Map;
import nnc.runtime.data.DataSpec;

/**
 * The train block, with defaults filled in (command-line flags override it later).
 *
 * @param data      the training set; null when the file names none (then {@code --data} is required)
 * @param validate  the validation set, or null
 * @param optimizer {@code sgd}, {@code adam}, ...
 * @param optimizerOptions e.g. {@code lr → 0.5}
 */
public record TrainConfig(DataSpec data, DataSpec validate, String optimizer, Map<String, Double> optimizerOptions,
                          int batch, int epochs, long seed, boolean shuffle) {
    public static final int DEFAULT_BATCH = 32;
    public static final int DEFAULT_EPOCHS = 10;

    public static TrainConfig defaults() {
        return new TrainConfig(null, null, "sgd", Map.of("lr", 0.01), DEFAULT_BATCH, DEFAULT_EPOCHS, 0L, true);
    }

    public TrainConfig withBatch(int b) { return new TrainConfig(data, validate, optimizer, optimizerOptions, b, epochs, seed, shuffle); }
    public TrainConfig withEpochs(int e) { return new TrainConfig(data, validate, optimizer, optimizerOptions, batch, e, seed, shuffle); }
    public TrainConfig withSeed(long s) { return new TrainConfig(data, validate, optimizer, optimizerOptions, batch, epochs, s, shuffle); }
}
