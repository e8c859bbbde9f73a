package nnc.optim;

import java.util.Map;
import nnc.runtime.data.DataSpec;

/**
 * The train block, with defaults filled in (command-line flags override it later).
 *
 * @param data             the training set; null when the file names none (then {@code --data} is required)
 * @param validate         the validation set, or null
 * @param optimizer        {@code gd}, {@code sgd}, {@code momentum}, {@code nesterov}, {@code adam}, {@code adamw}, {@code rmsprop}
 * @param optimizerOptions every option of the optimizer, defaults filled in, e.g. {@code lr → 0.5, weight_decay → 0}
 * @param clipping         gradient clipping, or null for none
 * @param schedule         the learning-rate schedule ({@link Schedule#CONSTANT} by default)
 * @param earlyStopping    early stopping, or null for none
 */
public record TrainConfig(DataSpec data, DataSpec validate, String optimizer, Map<String, Double> optimizerOptions,
                          int batch, int epochs, long seed, boolean shuffle,
                          Clipping clipping, Schedule schedule, EarlyStopping earlyStopping) {
    public static final int DEFAULT_BATCH = 32;
    public static final int DEFAULT_EPOCHS = 10;

    /** {@code clipping(norm = c)} or {@code clipping(value = c)}. */
    public record Clipping(Kind kind, double limit) {
        public enum Kind { NORM, VALUE }
    }

    /**
     * A learning-rate schedule by name ({@code constant step exponential cosine}) with its options
     * as written (the runtime's {@code LrSchedule} fills in defaults).
     */
    public record Schedule(String name, Map<String, Double> options) {
        public static final Schedule CONSTANT = new Schedule("constant", Map.of());

        public Schedule { options = Map.copyOf(options); }

        public boolean isConstant() { return name.equals("constant") && options.getOrDefault("warmup", 0.0) == 0; }
    }

    /**
     * Stop when {@code monitor} has not improved for {@code patience} epochs, then restore the best weights.
     *
     * @param monitor {@code val_loss}, {@code val_accuracy}, {@code loss} or {@code accuracy}
     */
    public record EarlyStopping(int patience, String monitor, double minDelta) {}

    public TrainConfig {
        optimizerOptions = Map.copyOf(optimizerOptions);
        if (schedule == null) schedule = Schedule.CONSTANT;
    }

    public static TrainConfig defaults() {
        return new TrainConfig(null, null, "sgd", Map.of("lr", 0.01, "weight_decay", 0.0), DEFAULT_BATCH, DEFAULT_EPOCHS, 0L, true,
                null, Schedule.CONSTANT, null);
    }

    public TrainConfig withData(DataSpec d) { return new TrainConfig(d, validate, optimizer, optimizerOptions, batch, epochs, seed, shuffle, clipping, schedule, earlyStopping); }
    public TrainConfig withValidate(DataSpec v) { return new TrainConfig(data, v, optimizer, optimizerOptions, batch, epochs, seed, shuffle, clipping, schedule, earlyStopping); }
    public TrainConfig withOptimizer(String name, Map<String, Double> options) { return new TrainConfig(data, validate, name, options, batch, epochs, seed, shuffle, clipping, schedule, earlyStopping); }
    public TrainConfig withBatch(int b) { return new TrainConfig(data, validate, optimizer, optimizerOptions, b, epochs, seed, shuffle, clipping, schedule, earlyStopping); }
    public TrainConfig withEpochs(int e) { return new TrainConfig(data, validate, optimizer, optimizerOptions, batch, e, seed, shuffle, clipping, schedule, earlyStopping); }
    public TrainConfig withSeed(long s) { return new TrainConfig(data, validate, optimizer, optimizerOptions, batch, epochs, s, shuffle, clipping, schedule, earlyStopping); }
    public TrainConfig withShuffle(boolean s) { return new TrainConfig(data, validate, optimizer, optimizerOptions, batch, epochs, seed, s, clipping, schedule, earlyStopping); }
    public TrainConfig withClipping(Clipping c) { return new TrainConfig(data, validate, optimizer, optimizerOptions, batch, epochs, seed, shuffle, c, schedule, earlyStopping); }
    public TrainConfig withSchedule(Schedule s) { return new TrainConfig(data, validate, optimizer, optimizerOptions, batch, epochs, seed, shuffle, clipping, s, earlyStopping); }
    public TrainConfig withEarlyStopping(EarlyStopping e) { return new TrainConfig(data, validate, optimizer, optimizerOptions, batch, epochs, seed, shuffle, clipping, schedule, e); }
}
