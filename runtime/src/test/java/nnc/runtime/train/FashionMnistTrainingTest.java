package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nnc.runtime.data.DataSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.data.Datasets;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.testing.SoftmaxModel;
import org.junit.jupiter.api.Test;

/** End to end on real data: hand-written softmax regression learns Fashion-MNIST through the whole runtime. */
class FashionMnistTrainingTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private static Dataset load(String images, String labels) {
        return Datasets.load(new DataSpec("idx", List.of(images, labels), Map.of("scale", 1 / 255.0), "test"), DIR, 0);
    }

    @Test
    void softmaxRegressionLearnsFashionMnist() {
        assumeTrue(Files.exists(DIR.resolve("train-images-idx3-ubyte.gz")), "dataset-fashion-mnist is not installed");
        Dataset train = load("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
        Dataset test = load("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        SoftmaxModel m = new SoftmaxModel(784, 10, 64, 0.2f);
        ParamInit.initialize(m, 1);
        TrainResult r = Trainer.fit(m, train, test, new TrainOptions(1, 64, 1, true), TrainListener.NONE);
        assertTrue(r.valAccuracy() > 0.75, "test accuracy " + r.valAccuracy());
        assertTrue(r.trainAccuracy() > 0.75, "train accuracy " + r.trainAccuracy());
        assertTrue(r.finalLoss() < 0.8, "loss " + r.finalLoss());
    }
}
