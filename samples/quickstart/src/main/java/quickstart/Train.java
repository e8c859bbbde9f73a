package quickstart;

import java.io.PrintWriter;
import java.nio.file.Path;
import nnc.runtime.train.EpochPrinter;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import quickstart.nn.Blobs;

/** Trains Blobs as its train block says (data, epochs, batch, seed, schedule) and saves it. */
public class Train {
    public static void main(String[] args) {
        Blobs model = Blobs.create(); // parameters initialised as Blobs.nn says
        TrainResult r = Trainer.fit(model, new EpochPrinter(new PrintWriter(System.out), model.trainBlock().epochs(), false));
        System.out.printf("validation accuracy %.4f%n", r.valAccuracy());
        model.save(Path.of(args[0]));
    }
}
