package nnc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker hand-off: failures reach the caller, concurrent and nested callers are correct, no thread leaks, no allocation. */
class ParallelismTest {
    private final int saved = Parallelism.threads();

    @AfterEach
    void restore() { Parallelism.setThreads(saved); }

    @Test
    void everyPartRunsOnceAndTheWorkersAreReused() {
        Parallelism.setThreads(4);
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        Parallelism.run(4, runs::incrementAndGet);
        int workers = Parallelism.workerCount();
        assertTrue(workers >= 3, "three helpers started, got " + workers);
        for (int i = 0; i < 1000; i++) Parallelism.run(1 + i % 4, runs::incrementAndGet);
        assertEquals(workers, Parallelism.workerCount(), "no worker started after the first call");
        assertEquals(1 + 250 + 250 + 250 + 250, runs.get(0));
        assertEquals(1 + 750, runs.get(1));
        assertEquals(1 + 500, runs.get(2));
        assertEquals(1 + 250, runs.get(3));
        long live = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("nnc-kernel-")).count();
        assertEquals(workers, live, "live worker threads");
        assertTrue(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("nnc-kernel-")).allMatch(Thread::isDaemon), "workers are daemon threads");
    }

    @Test
    void theLowestFailingPartIsRethrownAfterAllPartsFinished() {
        Parallelism.setThreads(3);
        AtomicIntegerArray finished = new AtomicIntegerArray(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallelism.run(3, p -> {
            if (p == 0) sleep(20);
            finished.incrementAndGet(p);
            if (p >= 1) throw new IllegalStateException("part " + p + " failed");
        }));
        assertEquals("part 1 failed", e.getMessage());
        for (int p = 0; p < 3; p++) assertEquals(1, finished.get(p), "part " + p + " ran");
        Error err = assertThrows(AssertionError.class, () -> Parallelism.run(3, p -> {
            if (p == 0) throw new AssertionError("caller's part");
            sleep(20);
            finished.incrementAndGet(p);
        }));
        assertEquals("caller's part", err.getMessage());
        assertEquals(2, finished.get(1), "the caller waited for part 1 before rethrowing");
        assertEquals(2, finished.get(2), "the caller waited for part 2 before rethrowing");
        AtomicIntegerArray after = new AtomicIntegerArray(3);
        Parallelism.run(3, after::incrementAndGet);
        assertEquals(3, after.get(0) + after.get(1) + after.get(2), "the workers still serve after failures");
    }

    @Test
    void nestedCallsRunInlineAndFinish() {
        Parallelism.setThreads(3);
        AtomicIntegerArray inner = new AtomicIntegerArray(9);
        Parallelism.run(3, p -> {
            assertEquals(1, Parallelism.available(), "nested kernels see one thread");
            Parallelism.run(3, q -> inner.incrementAndGet(3 * p + q));
        });
        for (int i = 0; i < 9; i++) assertEquals(1, inner.get(i), "inner part " + i);
    }

    @Test
    void concurrentCallersGetTheSingleThreadedBits() throws InterruptedException {
        Parallelism.setThreads(2);
        int m = 96, n = 200, k = 150;
        SplittableRandom r = new SplittableRandom(3);
        float[] a = GemmThreadsTest.random(r, m * k), b = GemmThreadsTest.random(r, k * n);
        float[] expected = new float[m * n];
        Gemm.direct(false, false, m, n, k, a, 0, b, 0, expected, 0);
        assertTrue(Gemm.parts(m, n, k, 2) > 1, "the product is split");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] callers = new Thread[3];
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                try {
                    float[] c = new float[m * n];
                    for (int i = 0; i < 200; i++) {
                        Arrays.fill(c, Float.NaN);
                        Gemm.matmul(false, false, m, n, k, a, 0, b, 0, c, 0);
                        assertArrayEquals(expected, c, "call " + i);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            callers[t].start();
        }
        for (Thread t : callers) t.join(120_000);
        for (Thread t : callers) assertTrue(!t.isAlive(), "a caller hung");
        if (failure.get() != null) fail(failure.get());
    }

    @Test
    void threadedCallsAllocateNothing() {
        Parallelism.setThreads(2);
        int m = 64, n = 256, k = 128;
        SplittableRandom r = new SplittableRandom(5);
        float[] a = GemmThreadsTest.random(r, m * k), b = GemmThreadsTest.random(r, k * n), c = new float[m * n];
        AtomicIntegerArray counts = new AtomicIntegerArray(2);
        Parallelism.Part part = counts::incrementAndGet;
        assertTrue(Gemm.parts(m, n, k, 2) == 2, "the product is split");
        var mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        double best = Double.MAX_VALUE;
        // Vector code allocates until C2 has compiled it: a round with no allocation must come eventually.
        for (int round = 0; round < 40 && best > 0; round++) {
            long before = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < 500; i++) {
                Parallelism.run(2, part);
                Gemm.matmul(false, false, m, n, k, a, 0, b, 0, c, 0);
            }
            best = Math.min(best, (mx.getThreadAllocatedBytes(id) - before) / 500.0);
        }
        assertEquals(0.0, best, 0.5, "bytes allocated per threaded call, best round");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
