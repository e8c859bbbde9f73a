package nnc.interp;

import java.util.Arrays;
import java.util.List;
import nnc.ir.BinaryFn;
import nnc.ir.Op;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.runtime.kernels.BatchedGemm;
import nnc.runtime.kernels.BlockedSums;
import nnc.runtime.kernels.Gathers;
import nnc.runtime.kernels.Gemm;
import nnc.runtime.kernels.ScalarMath;
import nnc.types.Dim;
import nnc.types.Shape;

/**
 * The interpreter's implementation of each primitive on flat row-major arrays, for one step's
 * batch size. Scalar functions are the runtime's {@link ScalarMath}, so results match generated code.
 */
final class OpEvaluator {
    private final int batch;

    OpEvaluator(int batch) { this.batch = batch; }

    float dimValue(String symbol) {
        if (!symbol.equals("batch")) throw new IllegalArgumentException("unbound dimension " + symbol);
        return batch;
    }

    int[] dims(Shape s) {
        int[] d = new int[s.rank()];
        for (int i = 0; i < d.length; i++) d[i] = s.dim(i).value(batch);
        return d;
    }

    int numel(Shape s) {
        int n = 1;
        for (int d : dims(s)) n *= d;
        return n;
    }

    /** Each element's index along {@code axis} of {@code shape}, as f32 (row-major). */
    float[] iota(Shape shape, int axis, float[] out) {
        int[] d = dims(shape);
        int inner = 1;
        for (int k = axis + 1; k < d.length; k++) inner *= d[k];
        int n = numel(shape);
        for (int i = 0; i < n; i++) out[i] = (float) ((i / inner) % d[axis]);
        return out;
    }

    int numelMax(Shape s, int maxBatch) { return new OpEvaluator(maxBatch).numel(s); }

    float[] unary(UnaryFn fn, float[] x, float[] out) {
        int n = Math.min(x.length, out.length);
        for (int i = 0; i < n; i++) out[i] = fn.apply(x[i]);
        return out;
    }

    float[] binary(BinaryFn fn, float[] a, Shape sa, float[] b, Shape sb, Shape so, float[] out) {
        int[] od = dims(so);
        int[] stA = strides(dims(sa), od), stB = strides(dims(sb), od);
        int n = numel(so);
        int[] idx = new int[od.length];
        int offA = 0, offB = 0;
        for (int i = 0; i < n; i++) {
            out[i] = fn.apply(a[offA], b[offB]);
            for (int k = od.length - 1; k >= 0; k--) {
                idx[k]++;
                offA += stA[k];
                offB += stB[k];
                if (idx[k] < od[k]) break;
                offA -= stA[k] * od[k];
                offB -= stB[k] * od[k];
                idx[k] = 0;
            }
        }
        return out;
    }

    /** {@code c != 0 ? a : b} at each point of {@code so}, the inputs broadcast to it. */
    float[] where(float[] c, Shape sc, float[] a, Shape sa, float[] b, Shape sb, Shape so, float[] out) {
        int[] od = dims(so);
        int[] stC = strides(dims(sc), od), stA = strides(dims(sa), od), stB = strides(dims(sb), od);
        int n = numel(so);
        int[] idx = new int[od.length];
        int offC = 0, offA = 0, offB = 0;
        for (int i = 0; i < n; i++) {
            out[i] = c[offC] != 0f ? a[offA] : b[offB];
            for (int k = od.length - 1; k >= 0; k--) {
                idx[k]++;
                offC += stC[k];
                offA += stA[k];
                offB += stB[k];
                if (idx[k] < od[k]) break;
                offC -= stC[k] * od[k];
                offA -= stA[k] * od[k];
                offB -= stB[k] * od[k];
                idx[k] = 0;
            }
        }
        return out;
    }

    /** Whether the reduced axes of size > 1 all come before the kept ones of size > 1, and there are both. */
    private static boolean isColumnSum(int[] d, List<Integer> axes) {
        boolean kept = false, reduced = false;
        for (int k = 0; k < d.length; k++) {
            if (d[k] == 1) continue;
            if (axes.contains(k)) {
                if (kept) return false;
                reduced = true;
            } else {
                kept = true;
            }
        }
        return kept && reduced;
    }

    float[] broadcast(float[] x, Shape sx, Shape so, float[] out) {
        return binary(BinaryFn.ADD, x, sx, new float[] {0f}, Shape.SCALAR, so, out);
    }

    /**
     * Folds each input element, in row-major order, into its output element. A column sum (the
     * reduced axes before the kept ones, size-1 axes aside) adds each block of
     * {@link BlockedSums#BLOCK} rows of an output from 0 first, then the block's sum into the output,
     * as generated code does ({@code nnc.emit.BlockedSum}).
     */
    float[] reduce(ReduceFn fn, float[] x, Shape sx, List<Integer> axes, float[] out) {
        int[] d = dims(sx);
        int[] outStride = new int[d.length];
        int acc = 1;
        for (int k = d.length - 1; k >= 0; k--) {
            if (axes.contains(k)) continue;
            outStride[k] = acc;
            acc *= d[k];
        }
        Arrays.fill(out, 0, acc, fn == ReduceFn.SUM ? 0f : Float.NEGATIVE_INFINITY);
        int n = numel(sx);
        int[] idx = new int[d.length];
        int o = 0;
        boolean sum = fn == ReduceFn.SUM && isColumnSum(d, axes);
        float[] part = sum ? new float[acc] : null;
        int[] count = sum ? new int[acc] : null;
        for (int i = 0; i < n; i++) {
            if (!sum) out[o] = fn == ReduceFn.SUM ? out[o] + x[i] : Math.max(out[o], x[i]);
            else {
                part[o] += x[i];
                if (++count[o] == BlockedSums.BLOCK) {
                    out[o] += part[o];
                    part[o] = 0f;
                    count[o] = 0;
                }
            }
            for (int k = d.length - 1; k >= 0; k--) {
                idx[k]++;
                o += outStride[k];
                if (idx[k] < d[k]) break;
                o -= outStride[k] * d[k];
                idx[k] = 0;
            }
        }
        if (sum) for (int k = 0; k < acc; k++) if (count[k] > 0) out[k] += part[k];
        return out;
    }

    float[] matmul(Op.MatMul m, float[] a, Shape sa, float[] b, Shape sb, float[] out) {
        int[] da = dims(sa), db = dims(sb);
        int r = da.length, batch = 1;
        for (int i = 0; i < r - 2; i++) batch *= da[i]; // a batched product: [b…, m, k] @ [b…, k, n]
        int rows = m.transA() ? da[r - 1] : da[r - 2], inner = m.transA() ? da[r - 2] : da[r - 1];
        int cols = m.transB() ? db[r - 2] : db[r - 1];
        if (r > 2) BatchedGemm.matmul(m.transA(), m.transB(), batch, rows, cols, inner, a, b, out);
        else Gemm.matmul(m.transA(), m.transB(), rows, cols, inner, a, 0, b, 0, out, 0);
        return out;
    }

    /** Output element at index (i_0..i_r-1) is the input element at i_k on axis perm[k]. */
    /** {@code out = x[slice]}: each output element read at start + index · step of each axis. */
    float[] slice(float[] x, Shape sx, Op.Slice s, Shape so, float[] out) {
        int[] xd = dims(sx), od = dims(so);
        int[] idx = new int[od.length];
        int n = numel(so);
        for (int i = 0; i < n; i++) {
            int flat = 0;
            for (int k = 0, o = 0; k < xd.length; k++)
                flat = flat * xd[k] + (s.whole(k) ? idx[o++] : s.indexed(k) ? (int) (long) s.start().get(k) : (int) (s.start().get(k) + idx[o++] * s.step().get(k)));
            out[i] = x[flat];
            for (int k = od.length - 1; k >= 0 && ++idx[k] == od[k]; k--) idx[k] = 0;
        }
        return out;
    }

    /** {@code out = x} surrounded by zeros: the element at index i of each axis is x's at i − before, or 0 outside x. */
    float[] pad(float[] x, Shape sx, Op.Pad p, Shape so, float[] out) {
        int[] xd = dims(sx), od = dims(so);
        int[] idx = new int[od.length];
        int n = numel(so);
        for (int i = 0; i < n; i++) {
            int flat = 0;
            boolean inside = true;
            for (int k = 0; k < od.length; k++) {
                int j = idx[k] - (int) (long) p.before().get(k);
                inside &= j >= 0 && j < xd[k];
                flat = flat * xd[k] + j;
            }
            out[i] = inside ? x[flat] : 0f;
            for (int k = od.length - 1; k >= 0 && ++idx[k] == od[k]; k--) idx[k] = 0;
        }
        return out;
    }

    float[] transpose(float[] x, Shape sx, List<Integer> perm, float[] out) {
        int[] d = dims(sx);
        int r = d.length;
        int[] inStride = new int[r];
        for (int k = r - 1, acc = 1; k >= 0; k--) {
            inStride[k] = acc;
            acc *= d[k];
        }
        int[] od = new int[r], st = new int[r];
        for (int k = 0; k < r; k++) {
            od[k] = d[perm.get(k)];
            st[k] = inStride[perm.get(k)];
        }
        int n = numel(sx);
        int[] idx = new int[r];
        int off = 0;
        for (int i = 0; i < n; i++) {
            out[i] = x[off];
            for (int k = r - 1; k >= 0; k--) {
                idx[k]++;
                off += st[k];
                if (idx[k] < od[k]) break;
                off -= st[k] * od[k];
                idx[k] = 0;
            }
        }
        return out;
    }

    float[] oneHot(int[] idx, Shape si, int classes, float[] out) {
        int n = numel(si);
        Arrays.fill(out, 0, n * classes, 0f);
        for (int i = 0; i < n; i++) if (idx[i] >= 0 && idx[i] < classes) out[i * classes + idx[i]] = 1f;
        return out;
    }

    /** Rows of {@code table [rows, cols]} picked by the indices ({@code nnc.runtime.kernels.Gathers.gather}). */
    float[] gather(float[] table, Shape st, int[] idx, Shape si, float[] out) {
        Gathers.gather(table, idx, out, numel(si), (int) st.dim(0).size(), (int) st.dim(1).size());
        return out;
    }

    /** Values summed into the rows their indices name ({@code nnc.runtime.kernels.Gathers.scatterAdd}). */
    float[] scatterAdd(float[] values, int[] idx, Shape si, Shape so, float[] out) {
        Gathers.scatterAdd(values, idx, out, numel(si), (int) so.dim(0).size(), (int) so.dim(1).size());
        return out;
    }

    /** Strides of an input with dims {@code in} read at each point of {@code out} (right-aligned; 0 where broadcast). */
    private static int[] strides(int[] in, int[] out) {
        int[] st = new int[out.length];
        int acc = 1;
        for (int k = in.length - 1; k >= 0; k--) {
            int a = k + out.length - in.length;
            st[a] = in[k] == 1 && out[a] != 1 ? 0 : acc;
            acc *= in[k];
        }
        return st;
    }
}
