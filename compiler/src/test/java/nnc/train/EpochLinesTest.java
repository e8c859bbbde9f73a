package nnc.train;

import nnc.cli.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code nnc train} prints per epoch when its output is not a terminal, and for early stopping. */
class EpochLinesTest {
    @TempDir Path tmp;

    @Test
    void plainLinesWithLossAccuracyAndValidationAndNoProgressBar() throws Exception {
        Path model = Run.playground(tmp, "m", 3, """
                  data      circles(n = 200, noise = 0.1)
                  validate  circles(n = 100, noise = 0.1)
                  optimizer adam(lr = 0.05)
                  batch     20
                  epochs    3
                """);
        var r = Run.nnc("train", model);
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("\r"), "no progress bar when stdout is not a terminal");
        for (int e = 1; e <= 3; e++)
            assertTrue(r.out().matches("(?s).*\nepoch " + e + "/3  loss [0-9.]+  acc [0-9.]+  val_loss [0-9.]+  val_acc [0-9.]+  [0-9,]+ samples/s\n.*"), r.out());
    }

    @Test
    void earlyStoppingSaysWhichEpochItRestored() throws Exception {
        // lr 3 with plain sgd overshoots: validation loss stops improving early
        Path model = Run.playground(tmp, "m", 3, """
                  data      circles(n = 200, noise = 0.1)
                  validate  circles(n = 100, noise = 0.1)
                  optimizer sgd(lr = 3)
                  early_stopping(patience = 2, monitor = val_loss)
                  batch     10
                  epochs    200
                """);
        var r = Run.nnc("train", model, "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*early stopping: no improvement of val_loss for 2 epochs; restored the parameters of epoch [0-9]+\n.*"), r.out());
        assertFalse(r.out().contains("epoch 200/200"), r.out());
    }
}
