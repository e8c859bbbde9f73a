package nnc.driver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.ir.IrModule;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.Numerics;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import nnc.runtime.kernels.ParamInit;

/**
 * Computes a model's loss and the gradient of the loss with respect to every parameter for one
 * batch, with any back end: what {@code nnc grad} does, and what the tests that compare nnc with
 * PyTorch call.
 *
 * <p>Parameters are named as in the model ({@code h1.W} of shape [in, out] and {@code h1.b} for
 * {@code h1 = dense(...)}; explicit {@code param}s by their own names); inputs and targets as
 * declared. Parameters that are not given are initialised from the seed as {@code nnc train}
 * would initialise them. The batch size is the leading (batch) dimension of the inputs and
 * targets, which must all agree. Anything that does not fit the model is a {@link UserError}
 * that names the file and the tensor.
 */
public final class GradientRunner {
    /**
     * The outcome of one batch.
     *
     * @param loss        the loss, a scalar (shape {@code []}) named {@code loss}
     * @param gradients   one gradient per parameter, named and shaped as the parameter, in model order
     * @param initialized the parameters that were not given and were initialised from the seed
     * @param batch       the number of rows in the batch
     */
    public record Result(Tensor loss, Map<String, Tensor> gradients, List<String> initialized, int batch) {
        public Result {
            gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
            initialized = List.copyOf(initialized);
        }

        /** The loss followed by the gradients: what {@code nnc grad} writes. */
        public List<Tensor> tensors() {
            List<Tensor> all = new ArrayList<>();
            all.add(loss);
            all.addAll(gradients.values());
            return all;
        }
    }

    private final IrModule module;
    private final ModelInfo info;
    private final Backend backend;
    private final Map<String, Integer> classCounts;
    private final Numerics.Mode numerics;

    /** A runner for the model of {@code compilation} on {@code backend}; the model is compiled for each batch size it meets. */
    public GradientRunner(Compilation compilation, Backend backend) {
        this(compilation, backend, Numerics.Mode.ON);
    }

    /** As {@link #GradientRunner(Compilation, Backend)}; with {@code FULL} numerics every kernel's output is checked. */
    public GradientRunner(Compilation compilation, Backend backend, Numerics.Mode numerics) {
        this.numerics = numerics;
        this.module = compilation.differentiated();
        this.info = module.info();
        this.backend = backend;
        this.classCounts = classCounts(module);
    }

    /** The model's tensors: inputs, targets, parameters and outputs (including {@code grad.*}). */
    public ModelInfo info() { return info; }

    /**
     * Loss and gradients for the batch in {@code inputs}, with the parameters in {@code params}
     * (those missing initialised from {@code seed}) and the inference state there (batch norm's
     * running statistics; those missing start as in training).
     *
     * @throws UserError if a tensor is unknown, missing, of the wrong dtype or shape
     */
    public Result run(TensorFile params, TensorFile inputs, long seed) {
        TensorFileValidator validator = new TensorFileValidator(info, classCounts);
        validator.checkParams(params);
        int batch = validator.checkBatch(inputs);
        validator.throwIfProblems();

        CompiledModel model = backend.create(module, batch, true, numerics);
        ParamInit.initialize(model, seed);
        List<String> initialized = new ArrayList<>();
        for (TensorSpec p : info.withRole(Role.PARAM)) {
            Tensor given = params.tensors().get(p.name());
            if (given == null) initialized.add(p.name());
            else copyIn(model, given);
        }
        for (TensorSpec s : info.inferenceState()) {
            Tensor given = params.tensors().get(s.name());
            if (given != null) copyIn(model, given);
        }
        for (Tensor t : inputs.tensors().values()) copyIn(model, t);
        model.trainStep(batch);

        Tensor loss = Tensor.f32(IrModule.LOSS, new long[0], new float[] {model.loss()});
        Map<String, Tensor> gradients = new LinkedHashMap<>();
        for (TensorSpec p : info.withRole(Role.PARAM)) {
            String gradName = Compilation.GRAD + p.name();
            float[] g = new float[p.elementCount(batch)];
            System.arraycopy(model.floats(gradName), model.offset(gradName), g, 0, g.length);
            gradients.put(p.name(), Tensor.f32(p.name(), shape(p, batch), g));
        }
        return new Result(loss, gradients, initialized, batch);
    }

    private static void copyIn(CompiledModel model, Tensor t) {
        String name = t.name();
        if (t.isFloat()) System.arraycopy(t.f32(), 0, model.floats(name), model.offset(name), t.elementCount());
        else System.arraycopy(t.i32(), 0, model.ints(name), model.offset(name), t.elementCount());
    }

    private static long[] shape(TensorSpec spec, int batch) {
        long[] s = new long[spec.rank()];
        for (int i = 0; i < s.length; i++) s[i] = spec.dim(i) == TensorSpec.BATCH ? batch : spec.dim(i);
        return s;
    }

    /**
     * i32 inputs and targets that feed a one-hot encoding are class indices, and those that pick rows
     * of a gather (token ids of an embedding) are row indices: their class or row counts.
     */
    private static Map<String, Integer> classCounts(IrModule module) {
        Map<String, Integer> counts = new HashMap<>();
        for (Node n : module.train().nodes()) {
            if (n.op() instanceof Op.OneHot oh && n.input(0).op() instanceof Op.Input in && in.type().dtype() == DType.I32)
                counts.merge(in.name(), Math.toIntExact(oh.classes()), Math::min);
            if (n.op() instanceof Op.Gather && n.input(1).op() instanceof Op.Input in)
                counts.merge(in.name(), Math.toIntExact(n.input(0).shape().dim(0).size()), Math::min);
        }
        return counts;
    }
}
