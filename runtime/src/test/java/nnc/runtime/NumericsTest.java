package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import nnc.runtime.train.NonFiniteValueException;
import org.junit.jupiter.api.Test;

/** Naming the first NaN or infinity: tensor, element index, and the kernel check generated code calls. */
class NumericsTest {
    @Test
    void indicesAreRowMajorWithTheBatchFilledIn() {
        assertEquals("[3, 7]", Numerics.index(3 * 10 + 7, new int[] {-1, 10}, 5));
        assertEquals("[1, 2, 3]", Numerics.index(1 * 12 + 2 * 4 + 3, new int[] {2, 3, 4}, 1));
        assertEquals("[0]", Numerics.index(0, new int[] {1}, 1));
        assertEquals("[]", Numerics.index(0, new int[0], 1));
    }

    @Test
    void theFirstNonFiniteTensorOfAFileIsNamedInFileOrder() {
        float[] w = new float[6];
        w[5] = Float.NEGATIVE_INFINITY;
        TensorFile f = TensorFile.of("p.safetensors", List.of(Tensor.f32("b", new long[] {2}, new float[] {1, 2}),
                Tensor.f32("h.W", new long[] {2, 3}, w), Tensor.f32("c", new long[] {1}, new float[] {Float.NaN})));
        assertEquals("tensor h.W holds -Infinity at [1, 2]", Numerics.firstNonFinite(f));
        assertNull(Numerics.firstNonFinite(TensorFile.of("ok", List.of(Tensor.f32("b", new long[] {2}, new float[] {1, 2})))));
    }

    @Test
    void kernelChecksCountOnlyTheBatchesRowsAndNameTheKernel() {
        float[] a = new float[4 * 16 * 3];
        a[a.length - 1] = Float.NaN; // beyond 2 rows of [16*batch, 3]: not checked at batch 2
        Numerics.checkKernel(a, 2, 1, 16 * 3, "m.nn:4: kernel train2 (h = relu(x))|h|-16,3");
        a[1 * 3 + 2] = Float.POSITIVE_INFINITY;
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class,
                () -> Numerics.checkKernel(a, 2, 1, 16 * 3, "m.nn:4: kernel train2 (h = relu(x))|h|-16,3"));
        assertEquals("m.nn:4: kernel train2 (h = relu(x)) produced Infinity at [1, 2]", e.getMessage());
        e = assertThrows(NonFiniteValueException.class,
                () -> Numerics.checkKernel(a, 2, 1, 16 * 3, "a|b.nn:9: kernel train0 (t3 = exp(x))|t4|-16,3"));
        assertEquals("a|b.nn:9: kernel train0 (t3 = exp(x)) produced Infinity in t4 at [1, 2]", e.getMessage());
    }

    @Test
    void modesParseInAnyCase() {
        assertEquals(Numerics.Mode.FULL, Numerics.Mode.parse("Full"));
        assertEquals(Numerics.Mode.OFF, Numerics.Mode.parse("off"));
        assertNull(Numerics.Mode.parse("sometimes"));
    }
}
