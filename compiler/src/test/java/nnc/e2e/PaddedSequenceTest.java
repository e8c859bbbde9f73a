package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/padded_bilstm.nn: a bidirectional 2-layer LSTM with a padding mask learns the
 * variable-length padded_last task (the half of the last real token before the padding), which the
 * same model without the order of the steps cannot.
 */
class PaddedSequenceTest {
    private static final String LSTM_LINE = "h = lstm(e, 32, layers = 2, bidirectional = true, mask = m)";

    private static double validationAccuracy(Path file) {
        var r = CliTest.nnc("train", file.toString(), "--epochs", "4", "--json");
        assertEquals(0, r.code(), r.err());
        return TrainingTest.field(TrainingTest.lastLine(r.out()), "val_accuracy");
    }

    /** Four epochs reach at least 0.95 (chance 0.5; a model that sees only the bag of real tokens, at best about 0.67). */
    @Test
    void theBidirectionalLstmFindsTheLastRealToken() {
        double acc = validationAccuracy(Samples.file("padded_bilstm"));
        assertTrue(acc >= 0.95, "validation accuracy " + acc);
    }

    /**
     * The same program with each step seen on its own (a dense layer per step in place of the
     * LSTM, pooled by the same masked mean) stays near the bag-of-tokens optimum: the order is what
     * the task needs.
     */
    @Test
    void withoutTheOrderTheTaskIsNotLearned(@TempDir Path dir) throws IOException {
        String sample = Files.readString(Samples.file("padded_bilstm"));
        assertTrue(sample.contains(LSTM_LINE), "the sample's recurrent layer");
        Path bag = dir.resolve("bag.nn");
        Files.writeString(bag, sample.replace(LSTM_LINE, "h = relu(dense(e, 64))"));
        double acc = validationAccuracy(bag);
        assertNotEquals(0, acc);
        assertTrue(acc < 0.8, "validation accuracy " + acc);
    }
}
