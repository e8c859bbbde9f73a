package nnc.spark;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import nnc.runtime.parallel.DataParallelModel;

/**
 * The replicas of one executor JVM, per run: a task borrows one (made by the run's factory the
 * first time only, never per step) and gives it back. Replicas hold no state of the run between
 * steps (every step loads the driver's parameters), so any replica serves any partition.
 */
final class ReplicaPool {
    private static final Map<Long, Queue<DataParallelModel>> FREE = new ConcurrentHashMap<>();
    private static final Map<Long, Integer> MADE = new ConcurrentHashMap<>();

    private ReplicaPool() {}

    /** A free replica of run {@code runId}, made by {@code factory} when none is free. */
    static DataParallelModel borrow(long runId, ReplicaFactory factory, int maxBatch) {
        DataParallelModel m = FREE.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>()).poll();
        if (m != null) return m;
        MADE.merge(runId, 1, Integer::sum);
        return factory.create(maxBatch);
    }

    /** Gives {@code m} back for the next step of run {@code runId}. */
    static void giveBack(long runId, DataParallelModel m) {
        FREE.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>()).add(m);
    }

    /** How many replicas of run {@code runId} this JVM has made. */
    static int made(long runId) { return MADE.getOrDefault(runId, 0); }

    /** Forgets run {@code runId}'s replicas. */
    static void drop(long runId) {
        FREE.remove(runId);
        MADE.remove(runId);
    }
}
