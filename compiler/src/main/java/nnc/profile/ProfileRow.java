package nnc.profile;

import nnc.runtime.train.Json;

/**
 * One kernel call of the train step in a profile.
 *
 * @param slot         the call's position in {@code trainStep} (0, 1, …)
 * @param kernel       the generated method it calls ({@code train7})
 * @param nanosPerStep its mean time per step
 * @param share        its part of the sum of all calls' times, in percent
 * @param file         the {@code .nn} file's name
 * @param line         the {@code .nn} line the kernel comes from (0 when unknown)
 * @param source       that line, trimmed ("" when unknown)
 */
public record ProfileRow(int slot, String kernel, KernelCost cost, double nanosPerStep, double share, String file, int line, String source) {
    /** GFLOP/s for products and convolutions, GB/s (read and written, estimated) for the other kernels; 0 when unmeasured. */
    public double rate() {
        if (!(nanosPerStep > 0)) return 0;
        return (cost.computeBound() ? cost.flops() : cost.bytes()) / nanosPerStep;
    }

    /** {@code GFLOP/s} or {@code GB/s}. */
    public String rateUnit() { return cost.computeBound() ? "GFLOP/s" : "GB/s"; }

    /** {@code lenet.nn:7}, or the file alone when the line is unknown. */
    public String where() { return line > 0 ? file + ":" + line : file; }

    Json json() {
        return Json.object().put("slot", slot).put("kernel", kernel).put("kind", cost.kind()).put("shape", cost.shape())
                .put("us_per_step", nanosPerStep / 1e3).put("share_pct", share)
                .put("flops", cost.flops()).put("bytes", cost.bytes())
                .put(cost.computeBound() ? "gflop_per_s" : "gb_per_s", rate())
                .put("file", file).put("line", line).put("source", source);
    }
}
