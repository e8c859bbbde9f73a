package nnc.spark.barrier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;

/**
 * What a step sends over a barrier connection, read from the model itself on both ends (the driver's
 * and the task's replicas are the same class): to the task, the step's header, the trained tensors
 * (parameters and inference state, not the optimiser state: the driver applies the step) and the
 * local indices of the share's rows (the task holds the rows, in its cached partition); back, the
 * weighted contribution, the share's rows of every f32 batch output and the task's compute time.
 * Tensors go in model order, straight from and into the models' buffers.
 */
final class StepMessages {
    private final List<TensorSpec> trained, outputs = new ArrayList<>();

    StepMessages(CompiledModel m) {
        trained = m.info().trained();
        for (TensorSpec t : m.info().tensors())
            if (t.role() == Role.OUTPUT && t.hasBatch() && t.dtype() == DType.F32) outputs.add(t);
    }

    /** Floats of the trained tensors (what each task receives per step besides its row indices). */
    long trainedFloats() {
        long n = 0;
        for (TensorSpec t : trained) n += t.elementCount(1);
        return n;
    }

    /**
     * Driver: sends the step whose share starts at position {@code first} of the global batch, weighted
     * {@code weight}, with the partition's local rows {@code rows[0 .. count)}.
     */
    void sendStep(Wire w, CompiledModel m, int first, int count, float weight, int[] rows) throws IOException {
        w.out().writeInt(Wire.STEP);
        w.out().writeInt(first);
        w.out().writeInt(count);
        w.out().writeFloat(weight);
        for (TensorSpec t : trained) w.writeFloats(m.floats(t.name()), m.offset(t.name()), t.elementCount(1));
        w.writeInts(rows, 0, count);
        w.flush();
    }

    /** Task: reads a step's tensors into {@code m} and its {@code count} local row indices into {@code rows}, after its header. */
    void receiveStep(Wire w, CompiledModel m, int count, int[] rows) throws IOException {
        for (TensorSpec t : trained) w.readFloats(m.floats(t.name()), m.offset(t.name()), t.elementCount(1));
        w.readInts(rows, 0, count);
    }

    /** Task: sends its contribution, its {@code count} output rows and its compute time. */
    void sendResult(Wire w, CompiledModel m, float[] contribution, int count, long computeNanos) throws IOException {
        w.writeFloats(contribution, 0, contribution.length);
        for (TensorSpec t : outputs) w.writeFloats(m.floats(t.name()), m.offset(t.name()), count * t.rowSize());
        w.out().writeLong(computeNanos);
        w.flush();
    }

    /** Driver: reads a task's contribution, and its output rows into {@code m}'s rows {@code first ..}; returns its compute time. */
    long receiveResult(Wire w, CompiledModel m, float[] contribution, int first, int count) throws IOException {
        w.readFloats(contribution, 0, contribution.length);
        for (TensorSpec t : outputs) w.readFloats(m.floats(t.name()), m.offset(t.name()) + first * t.rowSize(), count * t.rowSize());
        return w.in().readLong();
    }
}
