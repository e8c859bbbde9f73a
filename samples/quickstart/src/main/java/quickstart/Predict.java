package quickstart;

import java.nio.file.Path;
import java.util.Arrays;
import quickstart.nn.Blobs;

/** Loads the model Train saved and prints its class probabilities for a few points. */
public class Predict {
    public static void main(String[] args) {
        Blobs model = Blobs.load(Path.of(args[0]));
        float[][] probs = model.predict(new float[][] {{2, 0}, {0, 2}, {-2, 0}, {0, -2}});
        for (float[] p : probs) System.out.println(Arrays.toString(p));
    }
}
