package nnc.runtime.kernels;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How many threads the runtime's kernels may use, and the persistent daemon worker threads they run
 * on. The setting is process-wide (default: the available processors); {@code nnc train --threads N}
 * and embedding applications set it. Kernels split only their output into parts computed
 * independently, so results never depend on the setting.
 *
 * <p><b>Hand-off.</b> {@link #run} allocates nothing: the caller writes the part's index into each
 * worker's slot and bumps the worker's volatile sequence number; the worker spins briefly
 * ({@link #SPIN_NANOS}) and then parks, and the caller unparks it only if it parked. Completion is one
 * counter the last worker to finish brings to zero (unparking the caller if it parked). Workers are
 * created once, on first need, and never exit (daemon threads; they do not keep the JVM alive).
 *
 * <p><b>One caller at a time.</b> The workers serve one {@link #run} at a time. A call made while
 * they are busy — from another thread (two models training concurrently) or nested inside a part —
 * runs all its parts on the calling thread, in order: the same bits, only slower.
 */
public final class Parallelism {
    /** Upper bound for {@link #setThreads}. */
    public static final int MAX_THREADS = 256;
    /**
     * How long an idle worker, or a caller waiting for its workers, spins before it parks (system
     * property {@code nnc.spinNanos}, default 5 µs). Short on purpose: on a loaded machine a spinning
     * worker takes the core from the thread that would post its next part (50 µs measured ~1.5× slower
     * train steps than 5 µs with 2 threads on 2 busy cores).
     */
    static final long SPIN_NANOS = Long.getLong("nnc.spinNanos", 5_000);

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    /** Set while one caller's parts run on the workers. */
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    /** Parts handed to workers and not yet finished. */
    private static final AtomicInteger PENDING = new AtomicInteger();
    /** The caller, while it is parked waiting for {@link #PENDING} to reach zero. */
    private static volatile Thread waiter;
    /** Worker i runs part i + 1. Grown (never shrunk) by the caller that holds {@link #BUSY}. */
    private static Worker[] workers = new Worker[0];

    private Parallelism() {}

    /** The number of threads kernels may use (1 = the calling thread only). */
    public static int threads() { return threads; }

    /** Sets the thread count; workers are started on first use and kept. */
    public static synchronized void setThreads(int n) {
        if (n < 1 || n > MAX_THREADS) throw new IllegalArgumentException("threads must be in 1.." + MAX_THREADS + ", got " + n);
        threads = n;
    }

    /**
     * The threads a kernel starting now can use: {@link #threads()}, or 1 while the workers are busy
     * (inside a part, or while another caller's kernel runs), so nested kernels do not split again.
     */
    public static int available() {
        return BUSY.get() ? 1 : threads;
    }

    /** Worker threads started so far (they are reused, never more than {@code MAX_THREADS - 1}). */
    static int workerCount() {
        synchronized (Parallelism.class) {
            return workers.length;
        }
    }

    /**
     * Runs {@code part.run(0) … part.run(parts - 1)}, part 0 on the calling thread and the others on the
     * workers, and returns when all are done. If parts fail, waits for all the others and then rethrows
     * the failure of the lowest-numbered part.
     */
    public static void run(int parts, Part part) {
        if (parts <= 1) {
            part.run(0);
        } else if (parts > MAX_THREADS || !BUSY.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) part.run(p);
        } else {
            try {
                runOnWorkers(parts, part);
            } finally {
                BUSY.set(false);
            }
        }
    }

    /** One part of a split kernel. */
    @FunctionalInterface
    public interface Part {
        void run(int index);
    }

    private static void runOnWorkers(int parts, Part part) {
        Worker[] ws = workers(parts - 1);
        PENDING.set(parts - 1);
        for (int p = 1; p < parts; p++) ws[p - 1].post(part, p);
        Throwable failure = null;
        try {
            part.run(0);
        } catch (Throwable t) {
            failure = t;
        }
        awaitWorkers();
        for (int p = 1; p < parts; p++) {
            Worker w = ws[p - 1];
            if (failure == null) failure = w.failure;
            w.failure = null;
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException(failure);
    }

    private static void awaitWorkers() {
        long start = 0;
        for (int spins = 0; PENDING.get() != 0; spins++) {
            if ((spins & 63) != 0) {
                Thread.onSpinWait();
            } else if (start == 0) {
                start = System.nanoTime();
            } else if (System.nanoTime() - start > SPIN_NANOS) {
                waiter = Thread.currentThread();
                while (PENDING.get() != 0) LockSupport.park(Parallelism.class);
                waiter = null;
                return;
            }
        }
    }

    /** The first {@code helpers} workers, starting missing ones; only the holder of {@link #BUSY} calls this. */
    private static Worker[] workers(int helpers) {
        Worker[] ws = workers;
        if (ws.length >= helpers) return ws;
        synchronized (Parallelism.class) {
            Worker[] grown = Arrays.copyOf(ws, helpers);
            for (int i = ws.length; i < helpers; i++) grown[i] = new Worker(i + 1);
            workers = grown;
            return grown;
        }
    }

    /** A daemon thread that runs the parts posted to it, one at a time. */
    private static final class Worker implements Runnable {
        private final Thread thread;
        /** Bumped by the caller for each part posted; the worker runs one part per increment. */
        private volatile long posted;
        private volatile boolean parked;
        /** The posted part (plain fields: published by the volatile write of {@link #posted}). */
        private Part part;
        private int index;
        /** The part's failure, read by the caller after {@link #PENDING} reaches zero. */
        Throwable failure;

        Worker(int number) {
            thread = new Thread(this, "nnc-kernel-" + number);
            thread.setDaemon(true);
            thread.start();
        }

        void post(Part p, int i) {
            part = p;
            index = i;
            posted = posted + 1; // only the caller holding BUSY writes it
            if (parked) LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                seen = awaitPost(seen);
                Part p = part;
                part = null;
                try {
                    p.run(index);
                } catch (Throwable t) {
                    failure = t;
                }
                if (PENDING.decrementAndGet() == 0) {
                    Thread w = waiter;
                    if (w != null) LockSupport.unpark(w);
                }
            }
        }

        /** Spins, then parks, until {@link #posted} moves past {@code seen}; returns the new value. */
        private long awaitPost(long seen) {
            long start = 0;
            for (int spins = 0; ; spins++) {
                long s = posted;
                if (s != seen) return s;
                if ((spins & 63) != 0) {
                    Thread.onSpinWait();
                } else if (start == 0) {
                    start = System.nanoTime();
                } else if (System.nanoTime() - start > SPIN_NANOS) {
                    parked = true;
                    if (posted == seen) {
                        Thread.interrupted(); // nobody should interrupt a worker; a stray interrupt must not make it spin
                        LockSupport.park(this);
                    }
                    parked = false;
                }
            }
        }
    }
}
