package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nnc.driver.Backend;
import nnc.ir.SpatialFn;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.passes.SampleModules;
import nnc.runtime.kernels.Conv2d;
import org.junit.jupiter.api.Test;

/**
 * LeNet's convolutions and poolings become {@link Kernel.Call}s; each convolution's im2col workspace
 * is an intermediate buffer of the program (allocated once with the arena, never per step), sized by
 * the runtime's own geometry, and the memory plan never lets it share storage with the call's operands.
 */
class LibraryCallTest {
    @Test
    void lenetCallsTheRuntimeWithPlannedWorkspaces() {
        KernelProgram p = SampleModules.stages("lenet").program();
        List<SpatialFn> train = new ArrayList<>(), predict = new ArrayList<>();
        for (Kernel k : p.entry("train").kernels()) if (k instanceof Kernel.Call c) train.add(c.fn());
        for (Kernel k : p.entry("predict").kernels()) if (k instanceof Kernel.Call c) predict.add(c.fn());
        assertEquals(List.of(SpatialFn.CONV2D, SpatialFn.MAX_POOL2D, SpatialFn.CONV2D, SpatialFn.MAX_POOL2D), predict);
        // backward: the input gradient of the first convolution (of the data) is pruned
        assertEquals(2, train.stream().filter(f -> f == SpatialFn.CONV2D_GRAD_WEIGHT).count(), train.toString());
        assertEquals(1, train.stream().filter(f -> f == SpatialFn.CONV2D_GRAD_INPUT).count(), train.toString());
        assertEquals(2, train.stream().filter(f -> f == SpatialFn.MAX_POOL2D_GRAD).count(), train.toString());
        for (Kernel k : p.entry("train").kernels()) {
            if (!(k instanceof Kernel.Call c)) continue;
            if (!c.fn().isConv()) {
                assertNull(c.work());
                continue;
            }
            Buffer w = c.work();
            assertNotNull(w);
            assertTrue(w.isTemp() && p.buffers().get(w.id()) == w, w + " is an intermediate of the program");
            int need = new Conv2d.Geometry(1, c.c(), c.h(), c.w(), c.oc(), c.kh(), c.kw(), c.sh(), c.sw(), c.ph(), c.pw(), c.dh(), c.dw(), c.groups()).workspaceFloats();
            assertEquals(need, (int) w.shape().numel().constant(), "workspace of " + c.fn());
            for (Buffer b : c.arrays())
                if (b != null && b != w) assertNotEquals(p.slotOf(w), p.slotOf(b), c.fn() + ": workspace shares storage with " + b);
            assertNotEquals(p.slotOf(c.out()), p.slotOf(c.a()), c.fn() + " writes over its input");
        }
    }
}
