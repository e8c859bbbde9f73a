package nnc.schedule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import nnc.ir.Node;
import nnc.ir.Op;
import nnc.ir.ScanBody;
import nnc.kir.Buffer;
import nnc.kir.Kernel;

/**
 * The kernels of a loop ({@link ScanBody}) computing every output of it that an entry uses: copies
 * of the initial carries into the carry buffers, then a {@link Kernel.Loop} whose step copies in the
 * sequence slices, runs the body's kernels (scheduled like an entry's, by the {@link Scheduler}),
 * copies the step results out to their place in the stacked outputs and the carry results into the
 * carry buffers, which hold the final carries at the end.
 */
final class LoopKernels {
    private final Scheduler scheduler;
    private final Storage storage;
    private final KernelExprs exprs;
    private final boolean matmulEpilogues;

    LoopKernels(Scheduler scheduler, Storage storage, KernelExprs exprs, boolean matmulEpilogues) {
        this.scheduler = scheduler;
        this.storage = storage;
        this.exprs = exprs;
        this.matmulEpilogues = matmulEpilogues;
    }

    /** The loop's kernels, for its first output {@code first} met in {@code plan}'s order. */
    List<Kernel> of(Node first, ScanBody body, FusionPlan plan) {
        int c = body.carries().size(), q = body.slices().size();
        List<Kernel> kernels = new ArrayList<>();
        List<Buffer> carryBuffers = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            Node v = body.carries().get(i);
            Buffer b = storage.temp(v);
            carryBuffers.add(b);
            kernels.add(new Kernel.Pointwise(v.shape(), b, exprs.expr(first.input(i), v.shape(), plan)));
        }
        List<Kernel> step = new ArrayList<>();
        for (int j = 0; j < q; j++) {
            Node v = body.slices().get(j);
            Buffer b = storage.temp(v);
            step.add(new Kernel.StepCopy(storage.load(first.input(c + j)), true, b, false, v.shape().numel()));
        }
        List<Node> outputs = new ArrayList<>(), used = new ArrayList<>(body.carryResults());
        for (Node n : plan.nodes())
            if (n.op() instanceof Op.Scan s && s.body() == body) {
                outputs.add(n);
                if (s.output() >= c) used.add(body.stepResults().get(s.output() - c));
            }
        FusionPlan bodyPlan = FusionPlan.ofLoop(body, used, matmulEpilogues);
        scheduler.scheduleNodes(bodyPlan, Map.of(), Map.of(), step, new HashSet<>());
        Buffer anyOutput = null;
        for (Node n : outputs) {
            Op.Scan s = (Op.Scan) n.op();
            int k = s.output();
            if (k < c) {
                storage.put(n, carryBuffers.get(k));
                continue;
            }
            Node r = body.stepResults().get(k - c);
            Buffer out = storage.temp(n);
            step.add(new Kernel.StepCopy(resultBuffer(r, bodyPlan, step), false, out, true, r.shape().numel()));
            if (anyOutput == null) anyOutput = out;
        }
        // next carries: a result that is itself a carry buffer is saved first, so no carry is overwritten before it is read
        List<Buffer> next = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            Buffer r = resultBuffer(body.carryResults().get(i), bodyPlan, step);
            if (carryBuffers.contains(r) && r != carryBuffers.get(i)) {
                Node v = body.carries().get(i);
                Buffer saved = storage.newTemp(v, "_next");
                step.add(new Kernel.StepCopy(r, false, saved, false, v.shape().numel()));
                r = saved;
            }
            next.add(r);
        }
        for (int i = 0; i < c; i++)
            if (next.get(i) != carryBuffers.get(i))
                step.add(new Kernel.StepCopy(next.get(i), false, carryBuffers.get(i), false, body.carries().get(i).shape().numel()));
        kernels.add(new Kernel.Loop(body.length(), body.reverse(), step, anyOutput != null ? anyOutput : carryBuffers.get(0)));
        return kernels;
    }

    /** The buffer holding loop result {@code r} at the end of a step; an immediate is written to one by a kernel of the step. */
    private Buffer resultBuffer(Node r, FusionPlan bodyPlan, List<Kernel> step) {
        Buffer b = storage.get(r);
        if (b != null) return b;
        Buffer t = storage.newTemp(r, "");
        step.add(new Kernel.Pointwise(r.shape(), t, exprs.expr(r, r.shape(), bodyPlan)));
        return t;
    }
}
