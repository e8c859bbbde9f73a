package nnc.spark.barrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** The driver's admission of task connections: the run's token only, current attempts only, one per partition. */
class CoordinatorTest {
    static Socket connect(Coordinator c, byte[] token, int partition, int attempt) throws IOException {
        Socket s = new Socket("127.0.0.1", c.port());
        s.setSoTimeout(10_000);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.write(token);
        out.writeInt(partition);
        out.writeInt(attempt);
        out.flush();
        return s;
    }

    /** Whether the coordinator closed {@code s} (its next read ends the stream). */
    static boolean closedByPeer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test void aWrongTokenIsClosedAndNotCounted() throws Exception {
        try (Coordinator c = new Coordinator("127.0.0.1", 1)) {
            byte[] wrong = c.token();
            wrong[31] ^= 1;
            try (Socket bad = connect(c, wrong, 0, 0); Socket good = connect(c, c.token(), 0, 0)) {
                c.awaitAll(() -> null, 10_000, () -> "timed out");
                assertTrue(c.complete());
                assertTrue(closedByPeer(bad), "the wrong token's connection is closed");
                assertEquals(good.getLocalPort(), c.wire(0).socket().getPort(), "the admitted connection is the one with the token");
            }
        }
    }

    @Test void aShortTokenOrAnUnknownPartitionIsRejected() throws Exception {
        try (Coordinator c = new Coordinator("127.0.0.1", 2)) {
            byte[] shortToken = new byte[Coordinator.TOKEN_BYTES - 1];
            System.arraycopy(c.token(), 0, shortToken, 0, shortToken.length);
            try (Socket truncated = new Socket("127.0.0.1", c.port()); Socket unknown = connect(c, c.token(), 2, 0)) {
                truncated.getOutputStream().write(shortToken);
                truncated.shutdownOutput();
                truncated.setSoTimeout(10_000);
                var e = assertThrows(IllegalStateException.class, () -> c.awaitAll(() -> null, 1_000, () -> "nobody connected"));
                assertEquals("nobody connected", e.getMessage());
                assertFalse(c.complete());
                assertTrue(closedByPeer(truncated));
                assertTrue(closedByPeer(unknown));
            }
        }
    }

    @Test void aNewAttemptReplacesTheOldAndOldAttemptsAreRefused() throws Exception {
        try (Coordinator c = new Coordinator("127.0.0.1", 2)) {
            try (Socket a0 = connect(c, c.token(), 0, 0); Socket a1 = connect(c, c.token(), 1, 0)) {
                c.awaitAll(() -> null, 10_000, () -> "timed out");
                assertEquals(0, c.attempt());
                c.dropAll(1);
                assertTrue(closedByPeer(a0) && closedByPeer(a1), "the failed attempt's tasks are cut off");
            }
            try (Socket late = connect(c, c.token(), 0, 0); Socket b0 = connect(c, c.token(), 0, 1); Socket b1 = connect(c, c.token(), 1, 1)) {
                c.awaitAll(() -> null, 10_000, () -> "timed out");
                assertEquals(1, c.attempt());
                assertTrue(closedByPeer(late), "a task of the failed attempt is refused");
            }
        }
    }

    @Test void aFailedJobEndsTheWait() throws Exception {
        try (Coordinator c = new Coordinator("127.0.0.1", 1)) {
            var e = assertThrows(IllegalStateException.class,
                    () -> c.awaitAll(() -> new RuntimeException("no slots"), 10_000, () -> "timed out"));
            assertTrue(e.getMessage().contains("no slots"), e.getMessage());
        }
    }
}
