package nnc.playground;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.data.Dataset;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.train.BatchFeeder;

/**
 * One training run of the playground: a compiled model trained epoch after epoch on its own thread
 * while playing, paused between epochs, and {@link Snapshot}s of its parameters for the frames.
 * Commands ({@link #play()}, {@link #pause()}, {@link #step()}, {@link #reset()}) come from HTTP
 * threads; only the training thread touches the model. A non-finite loss pauses the run and sets
 * its {@link #failure()}.
 */
final class Run {
    /** Longest wait for a step or reset to be done before its HTTP answer goes out anyway. */
    private static final long COMMAND_WAIT_MS = 10_000;

    final String id, page;
    final Network network;
    final FramePainter painter;
    private final CompiledModel model;
    private final Dataset train;
    private final BatchFeeder feeder;
    private final long seed;
    private final int batch;
    private final int[] order;
    private final Thread thread;

    // guarded by this
    private boolean playing, stopped, resetWanted;
    private int stepsWanted;
    private int epoch;
    private long steps;
    private String failure;
    private Snapshot snapshot;
    private long seq;
    private int listeners;
    private final long created = System.nanoTime();
    /** Set by a frame's reader, cleared by the training thread once it has taken a snapshot. */
    private volatile boolean snapshotWanted;

    Run(String id, String page, Network network, CompiledModel model, Dataset train, long seed, int batch, FramePainter painter) {
        this.id = id;
        this.page = page;
        this.network = network;
        this.model = model;
        this.train = train;
        this.feeder = new BatchFeeder(model, train);
        this.seed = seed;
        this.batch = batch;
        this.order = new int[train.rows()];
        this.painter = painter;
        ParamInit.initialize(model, seed);
        synchronized (this) {
            takeSnapshot(playing);
        }
        this.thread = new Thread(this::loop, "nnc-playground-run-" + id);
        thread.setDaemon(true);
    }

    void start() { thread.start(); }

    synchronized Map<String, Object> play() {
        if (failure == null) playing = true;
        notifyAll();
        return state();
    }

    synchronized Map<String, Object> pause() throws InterruptedException {
        playing = false;
        stepsWanted = 0;
        snapshotWanted = true;
        notifyAll();
        return state();
    }

    /** One epoch, then paused; answers once it is done. */
    synchronized Map<String, Object> step() throws InterruptedException {
        playing = false;
        if (failure == null) stepsWanted++;
        notifyAll();
        long deadline = System.currentTimeMillis() + COMMAND_WAIT_MS;
        while (stepsWanted > 0 && !stopped && failure == null && System.currentTimeMillis() < deadline)
            wait(Math.max(1, deadline - System.currentTimeMillis()));
        return state();
    }

    /** New initial parameters from the seed, epoch 0, paused; answers once it is done. */
    synchronized Map<String, Object> reset() throws InterruptedException {
        playing = false;
        stepsWanted = 0;
        resetWanted = true;
        notifyAll();
        long deadline = System.currentTimeMillis() + COMMAND_WAIT_MS;
        while (resetWanted && !stopped && System.currentTimeMillis() < deadline) wait(Math.max(1, deadline - System.currentTimeMillis()));
        return state();
    }

    /** Ends the training thread and waits for it. */
    void stop() {
        synchronized (this) {
            stopped = true;
            playing = false;
            notifyAll();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(COMMAND_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized boolean stopped() { return stopped; }

    synchronized boolean playing() { return playing; }

    synchronized String failure() { return failure; }

    synchronized int epoch() { return epoch; }

    /** A frame's reader arrives or leaves (the server discards runs that nobody watches first). */
    synchronized void listening(boolean arrives) { listeners += arrives ? 1 : -1; }

    synchronized boolean watched() { return listeners > 0; }

    long created() { return created; }

    private Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", playing ? "playing" : "paused");
        m.put("epoch", epoch);
        return m;
    }

    /**
     * The next snapshot after {@code seenSeq}: at once when there is a newer one; while playing the
     * training thread is asked for one. Null after {@code waitMs} without one (time for a
     * heartbeat), when the run starts or stops playing, or when it stops.
     */
    synchronized Snapshot next(long seenSeq, long waitMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMs;
        boolean wasPlaying = playing;
        while (!stopped && snapshot.seq() <= seenSeq && playing == wasPlaying) {
            if (playing) snapshotWanted = true;
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return null;
            wait(left);
        }
        return stopped || snapshot.seq() <= seenSeq ? null : snapshot;
    }

    private void loop() {
        try {
            while (true) {
                synchronized (this) {
                    while (!stopped && !playing && stepsWanted == 0 && !resetWanted && !snapshotWanted) wait();
                    if (stopped) return;
                    if (resetWanted) {
                        ParamInit.initialize(model, seed);
                        epoch = 0;
                        steps = 0;
                        failure = null;
                        resetWanted = false;
                        takeSnapshot(playing);
                        continue;
                    }
                    if (!playing && stepsWanted == 0) { // a pause, or a snapshot asked for while paused
                        takeSnapshot(playing);
                        continue;
                    }
                }
                String problem = trainEpoch();
                synchronized (this) {
                    if (problem == null) epoch++;
                    else {
                        failure = problem;
                        playing = false;
                        stepsWanted = 0;
                    }
                    if (stepsWanted > 0) stepsWanted--;
                    if (!playing || snapshotWanted) takeSnapshot(playing);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass over the training set in a seeded permutation; a message when a loss is not finite, else null. */
    private String trainEpoch() {
        int n = order.length;
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            feeder.feed(order, from, b);
            model.trainStep(b);
            float loss = model.loss();
            synchronized (this) {
                steps++;
                if (!Float.isFinite(loss))
                    return "training diverged at epoch " + (epoch + 1) + " (loss " + loss + "): lower the learning rate and reset";
                if (stopped || resetWanted) return null;
                if (snapshotWanted) takeSnapshot(true); // the epoch runs on, even when a pause was asked for
            }
        }
        return null;
    }

    /**
     * Copies the parameters (the training thread, or the constructor, under the lock); {@code running}
     * is the frame's state: true within an epoch, which finishes before a pause takes effect.
     */
    private void takeSnapshot(boolean running) {
        Map<String, float[]> params = new LinkedHashMap<>();
        for (TensorSpec p : model.info().withRole(Role.PARAM)) {
            int off = model.offset(p.name()), count = p.elementCount(model.maxBatch());
            float[] copy = new float[count];
            System.arraycopy(model.floats(p.name()), off, copy, 0, count);
            params.put(p.name(), copy);
        }
        snapshot = new Snapshot(seq++, epoch, steps, running, params);
        snapshotWanted = false;
        notifyAll();
    }
}
