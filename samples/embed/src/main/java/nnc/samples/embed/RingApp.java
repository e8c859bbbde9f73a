package nnc.samples.embed;

import java.util.SplittableRandom;
import nnc.runtime.CompiledModel;
import nnc.runtime.data.Dataset;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import nnc.samples.embed.generated.Ring;

/**
 * Trains the {@code Ring} model of {@code src/main/nn/Ring.nn} — compiled to
 * {@code nnc.samples.embed.generated.Ring} by the nnc Maven plugin — on points the application
 * generates, then asks it about single points. Run: {@code java --add-modules jdk.incubator.vector
 * -cp nnc-runtime.jar:nnc-sample-embed.jar nnc.samples.embed.RingApp}.
 */
public final class RingApp {
    private RingApp() {}

    /** Whether {@code (x, y)} lies in the ring 0.5 < |p| < 1. */
    static boolean inside(double x, double y) {
        double r = Math.hypot(x, y);
        return r > 0.5 && r < 1;
    }

    /** {@code n} uniform points of [-1.5, 1.5]² with their labels. */
    static Dataset points(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] xy = new float[2 * n], label = new float[n];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = (float) rnd.nextDouble(-1.5, 1.5);
            xy[2 * i + 1] = (float) rnd.nextDouble(-1.5, 1.5);
            label[i] = inside(xy[2 * i], xy[2 * i + 1]) ? 1f : 0f;
        }
        return Dataset.regression(xy, new int[] {2}, label, 1);
    }

    /** Trains a fresh model; the whole run is a pure function of the seed. */
    static TrainResult train(CompiledModel model, long seed, int epochs) {
        ParamInit.initialize(model, seed);
        return Trainer.fit(model, points(4000, seed), points(1000, seed + 1), new TrainOptions(epochs, 32, seed, true),
                TrainListener.NONE);
    }

    /** The model's probability that {@code (x, y)} is inside the ring. */
    static float predict(Ring model, float x, float y) {
        return model.predict(new float[][] {{x, y}})[0][0];
    }

    public static void main(String[] args) {
        Ring model = new Ring(32);
        TrainResult r = train(model, 1, 40);
        System.out.printf("trained %d steps: loss %.4f, train accuracy %.3f, validation accuracy %.3f%n",
                r.steps(), r.finalLoss(), r.trainAccuracy(), r.valAccuracy());
        for (float[] q : new float[][] {{0, 0}, {0.75f, 0}, {0, -0.8f}, {1.3f, 1.3f}})
            System.out.printf("p(inside | %5.2f, %5.2f) = %.3f%n", q[0], q[1], predict(model, q[0], q[1]));
    }
}
