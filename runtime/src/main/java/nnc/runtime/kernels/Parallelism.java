package nnc.runtime.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How many threads the runtime's kernels may use, and the small fixed pool of daemon threads they run
 * on. The setting is process-wide (default: the available processors); {@code nnc train --threads N}
 * and embedding applications set it. Kernels split only their output into parts computed
 * independently, so results never depend on the setting.
 */
public final class Parallelism {
    /** Upper bound for {@link #setThreads}. */
    public static final int MAX_THREADS = 256;

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static final AtomicReference<ExecutorService> POOL = new AtomicReference<>();
    private static volatile int poolSize;

    private Parallelism() {}

    /** The number of threads kernels may use (1 = the calling thread only). */
    public static int threads() { return threads; }

    /** Sets the thread count; the pool is rebuilt on next use when its size changes. */
    public static synchronized void setThreads(int n) {
        if (n < 1 || n > MAX_THREADS) throw new IllegalArgumentException("threads must be in 1.." + MAX_THREADS + ", got " + n);
        threads = n;
    }

    /**
     * Runs {@code part.run(0) … part.run(parts - 1)}, part 0 on the calling thread and the others on the
     * pool, and returns when all are done. Rethrows the first failure.
     */
    public static void run(int parts, Part part) {
        if (parts <= 1) {
            part.run(0);
            return;
        }
        ExecutorService pool = pool(parts - 1);
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 1; p < parts; p++) {
            int index = p;
            pool.execute(() -> {
                try {
                    part.run(index);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            });
        }
        part.run(0);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kernel threads", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    /** One part of a split kernel. */
    @FunctionalInterface
    public interface Part {
        void run(int index);
    }

    private static synchronized ExecutorService pool(int helpers) {
        ExecutorService pool = POOL.get();
        if (pool == null || poolSize < helpers) {
            if (pool != null) pool.shutdown();
            pool = Executors.newFixedThreadPool(helpers, r -> {
                Thread t = new Thread(r, "nnc-kernel");
                t.setDaemon(true);
                return t;
            });
            POOL.set(pool);
            poolSize = helpers;
        }
        return pool;
    }
}
