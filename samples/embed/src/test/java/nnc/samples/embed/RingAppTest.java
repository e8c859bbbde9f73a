package nnc.samples.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.train.TrainResult;
import nnc.samples.embed.generated.Ring;
import org.junit.jupiter.api.Test;

/** The embedding path end to end: a trainer generated at build time by the plugin, trained from Java. */
class RingAppTest {
    @Test
    void theGeneratedTrainerLearnsTheRing() {
        Ring model = new Ring(32);
        TrainResult r = RingApp.train(model, 1, 40);
        assertTrue(r.valAccuracy() >= 0.95, "validation accuracy " + r.valAccuracy());
        assertTrue(RingApp.predict(model, 0.75f, 0) > 0.5f, "a point in the ring");
        assertTrue(RingApp.predict(model, 0, 0) < 0.5f, "the centre");
        assertTrue(RingApp.predict(model, 1.4f, 1.4f) < 0.5f, "far outside");
    }

    @Test
    void trainingIsReproducibleToTheBit() {
        CompiledModel a = new Ring(32), b = new Ring(32);
        RingApp.train(a, 5, 2);
        RingApp.train(b, 5, 2);
        for (var t : a.info().tensors())
            if (t.dtype() == DType.F32) assertArrayEquals(a.floats(t.name()), b.floats(t.name()), t.name());
        assertEquals(a.loss(), b.loss());
    }
}
