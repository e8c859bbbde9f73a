package nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules against values worked out by hand. */
class LrScheduleTest {
    @Test
    void constantIsTheBaseRate() {
        LrSchedule s = LrSchedule.of("constant", Map.of(), 0.1, 100);
        assertTrue(s.isConstant());
        assertEquals(0.1f, s.lr(0));
        assertEquals(0.1f, s.lr(1L << 40));
    }

    @Test
    void stepDecaysByGammaEveryNSteps() {
        LrSchedule s = LrSchedule.of("step", Map.of("every", 3.0, "gamma", 0.5), 0.8, 100);
        float[] want = {0.8f, 0.8f, 0.8f, 0.4f, 0.4f, 0.4f, 0.2f};
        for (int t = 0; t < want.length; t++) assertEquals(want[t], s.lr(t), "step " + t);
        assertEquals(0.08f, LrSchedule.of("step", Map.of("every", 2.0), 0.8, 100).lr(2), "gamma defaults to 0.1");
    }

    @Test
    void exponentialMultipliesEveryStep() {
        LrSchedule s = LrSchedule.of("exponential", Map.of("gamma", 0.5), 1.0, 100);
        assertEquals(1f, s.lr(0));
        assertEquals(0.5f, s.lr(1));
        assertEquals(0.125f, s.lr(3));
    }

    @Test
    void cosineWarmsUpLinearlyThenFollowsHalfACosine() {
        // warmup 4 of 12 steps, base 1, floor 0.1: ramp 0.25 0.5 0.75 1; then 0.1 + 0.9·½(1 + cos(π·u/8))
        LrSchedule s = LrSchedule.of("cosine", Map.of("warmup", 4.0, "min_lr", 0.1), 1.0, 12);
        assertFalse(s.isConstant());
        assertEquals(0.25f, s.lr(0));
        assertEquals(0.5f, s.lr(1));
        assertEquals(1f, s.lr(3));
        assertEquals(1f, s.lr(4), "the cosine starts at the base rate");
        assertEquals(0.55f, s.lr(8), 1e-7f, "half way: the middle of base and floor");
        assertEquals((float) (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 8))), s.lr(5));
        assertEquals(0.1f, s.lr(12), "the floor from the last step on");
        assertEquals(0.1f, s.lr(1000));
        assertEquals(0.5f, LrSchedule.of("cosine", Map.of("steps", 10.0), 1.0, 999).lr(5), "steps overrides the run length");
    }

    @Test
    void warmupAppliesToEverySchedule() {
        LrSchedule s = LrSchedule.of("step", Map.of("every", 2.0, "gamma", 0.5, "warmup", 2.0), 1.0, 100);
        assertEquals(0.5f, s.lr(0));
        assertEquals(1f, s.lr(1));
        assertEquals(1f, s.lr(2), "step counts from the end of the warm-up");
        assertEquals(1f, s.lr(3));
        assertEquals(0.5f, s.lr(4));
        assertFalse(LrSchedule.of("constant", Map.of("warmup", 2.0), 1.0, 100).isConstant());
    }

    @Test
    void exactOverLongRuns() {
        // the step count is a long: no f32 counter saturates at 2^24 here
        LrSchedule s = LrSchedule.of("step", Map.of("every", (double) (1 << 24), "gamma", 0.5), 1.0, 0);
        assertEquals(1f, s.lr((1L << 24) - 1));
        assertEquals(0.5f, s.lr(1L << 24));
        assertEquals(0.5f, s.lr((1L << 24) + 1));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.of("linear", Map.of(), 1.0, 10));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.of("step", Map.of("every", 0.0), 1.0, 10));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.of("constant", Map.of(), 1.0, 10).lr(-1));
    }

    @Test
    void aCosineScheduleWithoutStepsDecaysOverTheRunsSteps() {
        LrSchedule open = LrSchedule.of("cosine", Map.of("warmup", 3.0), 0.1);
        LrSchedule run = open.forRun(50), fixed = LrSchedule.of("cosine", Map.of("warmup", 3.0), 0.1, 50);
        for (long t = 0; t < 60; t++) assertEquals(fixed.lr(t), run.lr(t), "step " + t);
        assertThrows(IllegalStateException.class, () -> open.lr(5));
        LrSchedule given = LrSchedule.of("cosine", Map.of("steps", 20.0), 0.1);
        assertSame(given, given.forRun(50), "steps given in the train block stay");
    }
}
