package nnc.emit;

import static nnc.emit.ProgramBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.ir.ReduceFn;
import nnc.kir.Buffer;
import nnc.kir.KExpr;
import nnc.kir.Kernel;
import nnc.runtime.DType;
import nnc.runtime.Role;
import nnc.types.Dim;
import nnc.types.Shape;
import org.junit.jupiter.api.Test;

/** How kernels are planned into loops: flattening, merging, hoisting and the reduce accumulator. */
class LoopNestTest {
    private final ProgramBuilder p = new ProgramBuilder("plan");
    private final Buffer x = p.f32("x", Role.INPUT, B, 3);
    private final Buffer b = p.f32("b", Role.PARAM, 3);
    private final Buffer s = p.f32("s", Role.PARAM);
    private final Buffer out = p.f32("out", Role.OUTPUT, B, 3);
    private final Shape d = shape(B, 3);

    @Test
    void contiguousAndScalarLoadsMakeOneFlatLoop() {
        KExpr.Load lx = flat(x, d);
        KExpr.Load ls = load(s, 0, 0);
        LoopNest nest = LoopNest.of(new Kernel.Pointwise(d, out, add(lx, ls)));
        assertTrue(nest.isFlat());
        assertEquals("x", nest.loops().get(0).var());
        assertEquals("3 * batch", nest.loops().get(0).extent().text());
        assertEquals(List.of(0, 1), nest.loops().get(0).axes());
        assertEquals("x", nest.offset(lx).text());
        assertEquals("0", nest.offset(ls).text());
        assertEquals("x", nest.outOffset().text());
    }

    @Test
    void broadcastLoadsNestLoopsAndHoistTheRowOffset() {
        KExpr.Load lx = flat(x, d);
        KExpr.Load lb = load(b, 0, 1);
        LoopNest nest = LoopNest.of(new Kernel.Pointwise(d, out, add(lx, lb)));
        assertEquals(List.of("i0", "i1"), nest.loops().stream().map(LoopNest.Loop::var).toList());
        assertEquals(List.of(new LoopNest.OffsetVar("o0", IntExpr.mul(IntExpr.var("i0"), IntExpr.lit(3)))), nest.offsetsAt(0));
        assertEquals(List.of(), nest.offsetsAt(1));
        assertEquals("o0 + i1", nest.offset(lx).text());
        assertEquals("o0 + i1", nest.outOffset().text());
        assertEquals("i1", nest.offset(lb).text());
    }

    @Test
    void symbolicStridesAndSizeOneAxes() {
        Buffer xT = p.f32("xT", Role.INPUT, 3, B);
        KExpr.Load transposed = load(xT, 1, 0, batch());
        LoopNest nest = LoopNest.of(new Kernel.Pointwise(shape(B, 1, 3), out, transposed));
        assertEquals(2, nest.loops().size(), "the size-1 axis is dropped");
        assertEquals(List.of(0), nest.loops().get(0).axes());
        assertEquals(List.of(2), nest.loops().get(1).axes());
        assertEquals("i0 + i2 * batch", nest.offset(transposed).text());
        assertEquals("o0 + i2", nest.outOffset().text());
    }

    @Test
    void oneHotAxesKeepLoopsOfTheirOwn() {
        Buffer y = p.i32("y", Role.TARGET, B);
        KExpr.OneHot h = new KExpr.OneHot(load(y, 1, 0), 1);
        LoopNest nest = LoopNest.of(new Kernel.Pointwise(d, out, mul(h, flat(x, d))));
        assertEquals(2, nest.loops().size());
        assertEquals("i1", nest.axisIndex(1).text());
        assertEquals("i0", nest.offset(h.indices()).text());
        assertEquals(DType.I32, h.indices().buffer().dtype());
    }

    @Test
    void reduceOverTrailingAxisAccumulatesInALocal() {
        LoopNest nest = LoopNest.of(new Kernel.Reduce(d, List.of(1), ReduceFn.SUM, s, flat(x, d)));
        assertEquals(1, nest.accDepth());
        assertFalse(nest.accumulatesIntoOut());
        assertEquals("i0", nest.outOffset().text());
    }

    @Test
    void reduceOverLeadingAxisFoldsIntoThePrefilledOutput() {
        LoopNest nest = LoopNest.of(new Kernel.Reduce(d, List.of(0), ReduceFn.MAX, b, flat(x, d)));
        assertTrue(nest.accumulatesIntoOut());
        assertTrue(nest.foldsInPlace());
        assertEquals("3", nest.outSize().text());
        assertEquals("i1", nest.outOffset().text());
    }

    @Test
    void reduceOverAllAxesIsOneLoopIntoOneElement() {
        LoopNest nest = LoopNest.of(new Kernel.Reduce(d, List.of(0, 1), ReduceFn.SUM, s, flat(x, d)));
        assertTrue(nest.isFlat());
        assertEquals(0, nest.accDepth());
        assertEquals("0", nest.outOffset().text());
        assertEquals("1", nest.outSize().text());
    }

    @Test
    void reduceOverOuterAndInnerAxesReadsTheOutputBack() {
        Shape d3 = shape(B, 3, 4);
        Buffer x3 = p.f32("x3", Role.INPUT, B, 3, 4);
        LoopNest nest = LoopNest.of(new Kernel.Reduce(d3, List.of(0, 2), ReduceFn.SUM, b, flat(x3, d3)));
        assertEquals(3, nest.loops().size());
        assertEquals(2, nest.accDepth());
        assertTrue(nest.accumulatesIntoOut());
        assertFalse(nest.foldsInPlace());
        assertEquals("i1", nest.outOffset().text());
    }

    @Test
    void symbolsOtherThanBatchAreRejected() {
        Shape timeDomain = shape(new Dim.Sym("time"), 3);
        Buffer seq = p.f32("seq", Role.INPUT, 2, 3);
        var k = new Kernel.Pointwise(timeDomain, out, load(seq, 3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoopNest.of(k));
        assertTrue(e.getMessage().contains("time"), e.getMessage());
    }

    @Test
    void loadsWithTheWrongNumberOfStridesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LoopNest.of(new Kernel.Pointwise(d, out, load(b, 1))));
    }
}
