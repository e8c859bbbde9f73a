package nnc.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import nnc.diag.SourceFile;
import nnc.emit.KernelMethod;
import nnc.emit.ModelPlan;
import nnc.emit.TimedKernels;
import nnc.kir.KernelProgram;
import nnc.runtime.train.Json;

/**
 * Where a train step's time goes: one {@link ProfileRow} per kernel call of {@code trainStep},
 * sorted by share (largest first, then in call order), and the step times to check them against.
 *
 * @param kernelNanosPerStep       the sum of the rows' times per step
 * @param stepNanosPerStep         the profiled step measured around {@code trainStep} in the same run
 * @param uninstrumentedNanosPerStep the step of the plain (unprofiled) trainer, NaN when not measured
 */
public record KernelProfile(String model, String backend, int threads, int batch, long steps, List<ProfileRow> rows,
                            double kernelNanosPerStep, double stepNanosPerStep, double uninstrumentedNanosPerStep) {
    public KernelProfile { rows = List.copyOf(rows); }

    /** How run-time facts label a profile: which model, backend and threads it ran with. */
    public record Run(String model, String backend, int threads, int batch) {}

    /**
     * The profile of {@code program}'s train entry from a profiled trainer's {@code kernelNanos}
     * after {@code steps} steps that took {@code stepNanos} in all.
     *
     * @throws IllegalArgumentException when {@code kernelNanos} does not have one slot per kernel call
     */
    public static KernelProfile of(Run run, KernelProgram program, SourceFile source, long[] kernelNanos, long steps, long stepNanos,
                                   double uninstrumentedNanosPerStep) {
        ModelPlan plan = ModelPlan.of(program);
        List<KernelMethod> calls = TimedKernels.timedCalls(plan);
        if (calls.size() != kernelNanos.length)
            throw new IllegalArgumentException(kernelNanos.length + " timings for " + calls.size() + " kernel calls");
        long total = 0;
        for (long n : kernelNanos) total += n;
        List<ProfileRow> rows = new ArrayList<>();
        for (int slot = 0; slot < calls.size(); slot++) {
            KernelMethod k = calls.get(slot);
            int line = plan.lineOf(k.name());
            String text = line > 0 && source != null && line <= source.lines().size() ? source.line(line).strip() : "";
            rows.add(new ProfileRow(slot, k.name(), KernelCost.of(k.kernel(), run.batch()), (double) kernelNanos[slot] / steps,
                    total == 0 ? 0 : 100.0 * kernelNanos[slot] / total, plan.sourceFile(), line, text));
        }
        rows.sort(Comparator.comparingDouble(ProfileRow::share).reversed().thenComparingInt(ProfileRow::slot));
        return new KernelProfile(run.model(), run.backend(), run.threads(), run.batch(), steps, rows, (double) total / steps,
                (double) stepNanos / steps, uninstrumentedNanosPerStep);
    }

    /** The kernels' sum minus the measured profiled step, in percent of the step (the instrumentation's own gaps). */
    public double differencePct() { return 100 * (kernelNanosPerStep - stepNanosPerStep) / stepNanosPerStep; }

    /** The whole profile as one JSON object: the run, the step times in µs, and {@code rows} in table order. */
    public Json json() {
        return Json.object().put("model", model).put("backend", backend).put("threads", threads).put("batch", batch).put("steps", steps)
                .put("kernel_sum_us", kernelNanosPerStep / 1e3).put("step_us", stepNanosPerStep / 1e3)
                .put("difference_pct", differencePct())
                .put("uninstrumented_step_us", uninstrumentedNanosPerStep / 1e3)
                .put("rows", rows.stream().map(ProfileRow::json).toList());
    }
}
