package nnc.emit;

import java.util.Optional;
import nnc.ir.ReduceFn;
import nnc.kir.Kernel;
import nnc.runtime.kernels.BlockedSums;

/**
 * Whether a reduce kernel adds its rows in blocks, decided once for both emitters and the tests'
 * reference evaluator. A sum that folds in place ({@link LoopNest#foldsInPlace}) whose only reduced
 * loop is the outermost one (a column sum over {@code batch} or {@code batch × time} rows: a bias's
 * gradient) and may run more than {@link BlockedSums#BLOCK} rows is written
 *
 * <pre>
 * fill(out, 0)
 * part = BlockedSums.partials(outSize)
 * for (rBlock = 0; rBlock &lt; R; rBlock += BLOCK) {
 *   rEnd = min(rBlock + BLOCK, R); fill(part, 0)
 *   for (r = rBlock; r &lt; rEnd; r++) { inner loops: part[o] += value }   (scalar or vector, the same bits)
 *   BlockedSums.addInto(out, part, outSize)
 * }
 * </pre>
 *
 * so each output element is ((0 + P₀) + P₁) + …, Pₖ the sum of block k's rows from 0 in row order.
 * Maxima are exact in any order and are not blocked.
 *
 * @param rows the blocked (outermost) loop
 */
public record BlockedSum(LoopNest.Loop rows) {
    /** The blocking of {@code r}'s nest, or empty when it folds in one chain. */
    public static Optional<BlockedSum> of(Kernel.Reduce r, LoopNest nest) {
        if (r.fn() != ReduceFn.SUM || !nest.foldsInPlace()) return Optional.empty();
        LoopNest.Loop first = nest.loops().get(0);
        if (!first.reduced()) return Optional.empty();
        for (LoopNest.Loop l : nest.loops().subList(1, nest.loops().size()))
            if (l.reduced()) return Optional.empty();
        if (first.extent() instanceof IntExpr.Lit l && l.value() <= BlockedSums.BLOCK) return Optional.empty();
        return Optional.of(new BlockedSum(first));
    }
}
