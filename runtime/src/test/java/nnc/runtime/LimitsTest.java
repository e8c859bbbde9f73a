package nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LimitsTest {
    @AfterEach void restore() { Limits.setMaxMemory(Limits.defaultMaxMemory()); }

    @Test
    void byteCountsReadAsXmxDoes() {
        assertEquals(8L << 30, Limits.parseBytes("8g"));
        assertEquals(512L << 20, Limits.parseBytes("512M"));
        assertEquals(100L << 10, Limits.parseBytes("100kb"));
        assertEquals(1_000_000L, Limits.parseBytes("1000000"));
        assertEquals(2L << 40, Limits.parseBytes("2t"));
        for (String bad : new String[] {"", "g", "0", "-1", "1.5g", "100q", "99999999999999999999", "9999999999t"})
            assertThrows(IllegalArgumentException.class, () -> Limits.parseBytes(bad), bad);
    }

    @Test
    void problemsNameTheLimit() {
        Limits.setMaxMemory(2L << 30); // under the test JVM's heap
        assertEquals("2,147,395,600 values (8.0 GiB), over the memory limit of 2.0 GiB (--max-memory)",
                Limits.valuesProblem(2_147_395_600L, 4));
        Limits.setMaxMemory(1L << 50); // a limit above the heap cannot be met: the heap is the limit
        assertEquals("2,147,395,600 values (8.0 GiB), over the JVM's maximum heap of " + Limits.bytes(Limits.defaultMaxMemory())
                + " (give it more with -Xmx, e.g. NNC_JAVA_OPTS=-Xmx1048576g)", Limits.valuesProblem(2_147_395_600L, 4));
        Limits.setMaxMemory(2L << 30);
        assertEquals("4,000,000,000 values, more than one Java array holds (2,147,483,639)", Limits.valuesProblem(4_000_000_000L, 4));
        assertNull(Limits.valuesProblem(1000, 4));
        assertEquals("8,000,000,000 bytes, more than one Java array holds (2,147,483,639)", Limits.bytesProblem(8_000_000_000L));
        var e = assertThrows(LimitException.class, () -> Limits.requireValues("x.idx: the header declares [3, 1000000000] =", 3_000_000_000L, 4));
        assertEquals("x.idx: the header declares [3, 1000000000] = 3,000,000,000 values, more than one Java array holds (2,147,483,639)", e.getMessage());
    }

    @Test
    void productsSaturate() {
        assertEquals(Long.MAX_VALUE, Limits.product(1L << 40, 1L << 40));
        assertEquals(0, Limits.product(1L << 40, 1L << 40, 0));
        assertEquals(2_147_395_600L, Limits.product(1, 46340, 46340));
    }

    @Test
    void aModelOverTheLimitNamesItsLargestArray() {
        Limits.setMaxMemory(1 << 20);
        var spec = new TensorSpec("h.W", Role.PARAM, DType.F32, new int[] {512, 1024}, null);
        var e = assertThrows(LimitException.class, () -> ModelMemory.check("M", 8, List.of(ModelMemory.Array.of(spec, 8))));
        assertEquals("model M needs 2.0 MiB at batch 8 for its tensors and buffers (the largest: h.W f32[512,1024], 2.0 MiB),"
                + " over the memory limit of 1.0 MiB (--max-memory)", e.getMessage());
        var h = new TensorSpec("h", Role.OUTPUT, DType.F32, new int[] {TensorSpec.BATCH, 100_000_000}, null);
        e = assertThrows(LimitException.class, () -> ModelMemory.check("M", 64, List.of(ModelMemory.Array.of(h, 64))));
        assertEquals("model M: h f32[batch,100000000] holds 6,400,000,000 values at batch 64, more than one Java array holds"
                + " (2,147,483,639); a batch of at most 21 fits", e.getMessage());
        assertThrows(LimitException.class, () -> h.elementCount(64));
    }
}
