package nnc.runtime.train;

import java.util.ArrayList;
import java.util.List;
import nnc.runtime.io.SafeTensorsException;

/**
 * A run's epoch history as one checkpoint metadata string (safetensors metadata is a string map):
 * epochs separated by {@code ;}, each {@code epoch,train_loss,train_accuracy,val_loss,val_accuracy,
 * seconds,samples_per_s,val_top_k} with the numbers in hexadecimal ({@link Double#toHexString}), so
 * a resumed run's report holds bitwise the values the interrupted run computed.
 */
final class EpochHistory {
    private static final int FIELDS = 8;

    private EpochHistory() {}

    static String encode(List<EpochStats> history) {
        StringBuilder sb = new StringBuilder();
        for (EpochStats e : history) {
            if (!sb.isEmpty()) sb.append(';');
            sb.append(e.epoch());
            for (double v : new double[] {e.trainLoss(), e.trainAccuracy(), e.valLoss(), e.valAccuracy(), e.seconds(),
                    e.samplesPerSecond(), e.valTopK()})
                sb.append(',').append(Double.toHexString(v));
        }
        return sb.toString();
    }

    /** Parses {@link #encode}'s text; entries must be epochs 1, 2, ... in order. */
    static List<EpochStats> decode(String text, String file) {
        List<EpochStats> out = new ArrayList<>();
        if (text.isEmpty()) return out;
        String[] entries = text.split(";", -1);
        for (int i = 0; i < entries.length; i++) {
            String[] f = entries[i].split(",", -1);
            if (f.length != FIELDS) throw malformed(file, i, entries[i], "it has " + f.length + " fields, not " + FIELDS);
            double[] v = new double[FIELDS - 1];
            int epoch;
            try {
                epoch = Integer.parseInt(f[0]);
                for (int k = 1; k < FIELDS; k++) v[k - 1] = Double.parseDouble(f[k]);
            } catch (NumberFormatException e) {
                throw malformed(file, i, entries[i], "not a list of numbers");
            }
            if (epoch != i + 1) throw malformed(file, i, entries[i], "it is epoch " + epoch + ", expected " + (i + 1));
            if (!Double.isFinite(v[0])) throw malformed(file, i, entries[i], "its training loss is not a finite number");
            out.add(new EpochStats(epoch, v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
        }
        return out;
    }

    private static SafeTensorsException malformed(String file, int index, String entry, String why) {
        String shown = entry.length() > 60 ? entry.substring(0, 60) + "..." : entry;
        return new SafeTensorsException(file, "inconsistent checkpoint: metadata nnc.history, entry " + (index + 1) + " '" + shown + "': " + why);
    }
}
