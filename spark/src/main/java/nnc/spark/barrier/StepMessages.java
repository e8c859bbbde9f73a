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
 * share's rows of every input and target; back, the weighted contribution, the share's rows of
 * every f32 batch output and the task's compute time. Tensors go in model order, straight from
 * and into the models' buffers.
 */
final class StepMessages {
    private final List<TensorSpec> trained, fed = new ArrayList<>(), outputs = new ArrayList<>();

    StepMessages(CompiledModel m) {
        trained = m.info().trained();
        for (TensorSpec t : m.info().tensors()) {
            if (t.role() == Role.INPUT || t.role() == Role.TARGET) fed.add(t);
            if (t.role() == Role.OUTPUT && t.hasBatch() && t.dtype() == DType.F32) outputs.add(t);
        }
    }

    /** Floats of the trained tensors (what each task receives per step besides its rows). */
    long trainedFloats() {
        long n = 0;
        for (TensorSpec t : trained) n += t.elementCount(1);
        return n;
    }

    /** Driver: sends the step of rows {@code first .. first+count-1} of {@code m}'s fed batch, weighted {@code weight}. */
    void sendStep(Wire w, CompiledModel m, int first, int count, float weight) throws IOException {
        w.out().writeInt(Wire.STEP);
        w.out().writeInt(first);
        w.out().writeInt(count);
        w.out().writeFloat(weight);
        for (TensorSpec t : trained) w.writeFloats(m.floats(t.name()), m.offset(t.name()), t.elementCount(1));
        for (TensorSpec t : fed) {
            int at = m.offset(t.name()) + first * t.rowSize(), n = count * t.rowSize();
            if (t.dtype() == DType.F32) w.writeFloats(m.floats(t.name()), at, n);
            else w.writeInts(m.ints(t.name()), at, n);
        }
        w.flush();
    }

    /** Task: reads a step's tensors and rows into {@code m} (its rows from row 0), after its header. */
    void receiveStep(Wire w, CompiledModel m, int count) throws IOException {
        for (TensorSpec t : trained) w.readFloats(m.floats(t.name()), m.offset(t.name()), t.elementCount(1));
        for (TensorSpec t : fed) {
            int n = count * t.rowSize();
            if (t.dtype() == DType.F32) w.readFloats(m.floats(t.name()), m.offset(t.name()), n);
            else w.readInts(m.ints(t.name()), m.offset(t.name()), n);
        }
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
