package nnc.passes;

import nnc.ir.BinaryFn;
import nnc.ir.UnaryFn;
import nnc.kir.ScalarSemantics;

/**
 * The f32 value of each elementwise function as the generated code computes it
 * ({@link ScalarSemantics}), boxed for folding: folding a constant gives the bits the kernel would
 * have computed.
 */
final class FloatSemantics {
    private FloatSemantics() {}

    static Float apply(UnaryFn fn, float x) { return ScalarSemantics.apply(fn, x); }

    static Float apply(BinaryFn fn, float a, float b) { return ScalarSemantics.apply(fn, a, b); }
}
