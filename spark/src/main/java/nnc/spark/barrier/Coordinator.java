package nnc.spark.barrier;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The driver's end of a barrier run: a server socket on the driver's host (ephemeral port) that
 * admits one connection per partition. A task proves it belongs to the run with the run's random
 * 32-byte token (compared in constant time; anything else is closed unread), then names its
 * partition and its stage attempt. A newer attempt replaces every connection of an older one, so
 * after a relaunched stage the coordinator holds exactly the new attempt's {@code P} tasks.
 */
final class Coordinator implements AutoCloseable {
    static final int TOKEN_BYTES = 32;
    private static final int HANDSHAKE_MILLIS = 10_000, POLL_MILLIS = 200;

    private final ServerSocket server;
    private final byte[] token = new byte[TOKEN_BYTES];
    private final Wire[] wires;
    private final int[] attempts;
    private int minAttempt;

    /** Listens on {@code host} (an ephemeral port) for the tasks of {@code partitions} partitions. */
    Coordinator(String host, int partitions) throws IOException {
        new SecureRandom().nextBytes(token);
        server = new ServerSocket(0, 2 * partitions + 4, InetAddress.getByName(host));
        server.setSoTimeout(POLL_MILLIS);
        wires = new Wire[partitions];
        attempts = new int[partitions];
    }

    int port() { return server.getLocalPort(); }

    String host() { return server.getInetAddress().getHostAddress(); }

    byte[] token() { return token.clone(); }

    int partitions() { return wires.length; }

    /** Partition {@code p}'s connection (after {@link #awaitAll}). */
    Wire wire(int p) { return wires[p]; }

    /** Whether every partition has a connection of the same attempt. */
    boolean complete() {
        for (Wire w : wires) if (w == null) return false;
        for (int a : attempts) if (a != attempts[0]) return false;
        return true;
    }

    /**
     * Accepts connections until every partition has one of the same stage attempt.
     *
     * @param failure    the job's failure, if it has ended (checked between accepts)
     * @param timeoutMs  how long to wait in all
     * @throws IllegalStateException when the job ended or the time ran out first
     */
    void awaitAll(Supplier<Throwable> failure, long timeoutMs, Supplier<String> whyNot) throws IOException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!complete()) {
            Throwable f = failure.get();
            if (f != null) throw new IllegalStateException("the barrier job ended before its tasks connected: " + f.getMessage(), f);
            if (System.nanoTime() > end) throw new IllegalStateException(whyNot.get());
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            admit(s);
        }
    }

    /** Reads a connection's handshake and keeps it when its token is the run's and its attempt is current. */
    private void admit(Socket s) throws IOException {
        Wire w;
        int p, attempt;
        try {
            s.setSoTimeout(HANDSHAKE_MILLIS);
            w = new Wire(s);
            byte[] got = new byte[TOKEN_BYTES];
            DataInputStream in = w.in();
            in.readFully(got);
            if (!MessageDigest.isEqual(token, got)) {
                s.close();
                return;
            }
            p = in.readInt();
            attempt = in.readInt();
            s.setSoTimeout(0);
        } catch (IOException e) {
            s.close();
            return;
        }
        if (p < 0 || p >= wires.length || attempt < minAttempt) {
            w.close();
            return;
        }
        if (attempt > minAttempt) dropAll(attempt);
        if (wires[p] != null) wires[p].close();
        wires[p] = w;
        attempts[p] = attempt;
    }

    /** Closes every connection (their tasks fail) and admits only attempts from {@code attempt} on. */
    void dropAll(int attempt) {
        for (int p = 0; p < wires.length; p++) {
            if (wires[p] != null) wires[p].close();
            wires[p] = null;
        }
        minAttempt = Math.max(minAttempt, attempt);
    }

    /** The attempt of the connections held (after {@link #awaitAll}). */
    int attempt() { return attempts[0]; }

    /** Tells every connected task to finish and closes everything. */
    void finish() {
        for (Wire w : wires) {
            if (w == null) continue;
            try {
                w.out().writeInt(Wire.FINISH);
                w.flush();
            } catch (IOException ignored) {
                // the task is gone already
            }
        }
    }

    @Override public void close() {
        dropAll(minAttempt);
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
