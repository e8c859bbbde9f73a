package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The epoch line is the same whatever the JVM's default locale (an embedding application may run in any). */
class EpochPrinterTest {
    @Test
    void theEpochLineIgnoresTheDefaultLocale() {
        EpochStats s = new EpochStats(3, 0.5, 0.9125, 0.25, 0.875, 2.0, 12345.6);
        String expected = "epoch 3/10  loss 0.500000  acc 0.9125  val_loss 0.250000  val_acc 0.8750  12,346 samples/s";
        Locale before = Locale.getDefault();
        try {
            for (Locale l : new Locale[] {Locale.GERMANY, Locale.FRANCE, Locale.forLanguageTag("ar-EG"), Locale.US}) {
                Locale.setDefault(l);
                assertEquals(expected, EpochPrinter.line(s, 10), l.toLanguageTag());
            }
        } finally {
            Locale.setDefault(before);
        }
    }
}
