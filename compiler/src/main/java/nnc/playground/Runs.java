package nnc.playground;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's training runs: at most {@value #MAX} at a time, at most one per page (a page's new
 * run stops its old one). When full, the oldest run that no page watches (its events stream never
 * opened) makes room; otherwise a new run is refused.
 */
final class Runs {
    /** The most runs a server trains at once. */
    static final int MAX = 4;

    private final Map<String, Run> byId = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A fresh run id. */
    String newId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Adds and starts {@code run}, stopping its page's earlier run; refuses it (and stops it) when {@value #MAX} watched runs are going. */
    void add(Run run) {
        List<Run> ended = new ArrayList<>();
        synchronized (this) {
            for (Run r : byId.values()) if (r.page.equals(run.page)) ended.add(r);
            ended.forEach(r -> byId.remove(r.id));
            if (byId.size() >= MAX) {
                byId.values().stream().filter(r -> !r.watched()).findFirst().ifPresent(r -> {
                    ended.add(r);
                    byId.remove(r.id);
                });
            }
            if (byId.size() < MAX) {
                byId.put(run.id, run);
                run.start();
            } else {
                ended.add(run);
            }
        }
        ended.forEach(Run::stop);
        if (ended.contains(run))
            throw new HttpFailure(429, "the playground already trains " + MAX + " runs (one per open page): close a page first");
    }

    /** The run called {@code id}, or {@link HttpFailure} 404. */
    synchronized Run get(String id) {
        Run r = byId.get(id);
        if (r == null) throw new HttpFailure(404, "no run " + id + " (it was stopped: start a new one)");
        return r;
    }

    /** Stops and forgets {@code run} (its page has gone). */
    void discard(Run run) {
        synchronized (this) {
            byId.remove(run.id, run);
        }
        run.stop();
    }

    synchronized int size() { return byId.size(); }

    /** Stops every run. */
    void stopAll() {
        List<Run> all;
        synchronized (this) {
            all = new ArrayList<>(byId.values());
            byId.clear();
        }
        all.forEach(Run::stop);
    }
}
