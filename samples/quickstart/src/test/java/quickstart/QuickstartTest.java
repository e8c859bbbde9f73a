package quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickstart.nn.Blobs;

/**
 * The README's quickstart as a user runs it: Train in one JVM (the train block's settings), Predict
 * in another (the saved file); the second JVM's predictions are bitwise those of the same training
 * run in this one.
 */
class QuickstartTest {
    private static final float[][] POINTS = {{2, 0}, {0, 2}, {-2, 0}, {0, -2}};

    @Test
    void trainsFromTheTrainBlockSavesAndPredictsInANewJvm(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("blobs.safetensors");
        List<String> trained = run(Train.class, file);
        assertTrue(trained.stream().anyMatch(l -> l.startsWith("epoch 15/15  loss ")), String.join("\n", trained)); // the train block's 15 epochs
        double accuracy = Double.parseDouble(trained.get(trained.size() - 1).replace("validation accuracy ", ""));
        assertTrue(accuracy >= 0.9, "validation accuracy " + accuracy);

        Blobs model = Blobs.create();
        TrainResult r = Trainer.fit(model, TrainListener.NONE);
        assertEquals(String.format("validation accuracy %.4f", r.valAccuracy()), trained.get(trained.size() - 1));
        List<String> expected = Arrays.stream(model.predict(POINTS)).map(Arrays::toString).toList();
        assertEquals(expected, run(Predict.class, file));
    }

    /** The lines {@code main} prints in a JVM of its own, on this test's class path. */
    private static List<String> run(Class<?> main, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), main.getName(), file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return new ArrayList<>(out.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList());
    }
}
