package nnc.spark.barrier;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * One end of a barrier run's connection: headers as big-endian ints and longs, big arrays as raw
 * little-endian floats or ints in chunks through one fixed scratch buffer (no serialisation and no
 * allocation per step).
 */
final class Wire implements AutoCloseable {
    /** The driver's commands to a task. */
    static final int STEP = 1, FINISH = 2;
    private static final int CHUNK = 1 << 16;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final byte[] scratch = new byte[CHUNK * 4];
    private final FloatBuffer floats = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    private final IntBuffer ints = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();

    Wire(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    }

    Socket socket() { return socket; }

    DataInputStream in() { return in; }

    DataOutputStream out() { return out; }

    void writeFloats(float[] a, int from, int n) throws IOException {
        for (int done = 0; done < n; done += CHUNK) {
            int k = Math.min(CHUNK, n - done);
            floats.put(0, a, from + done, k);
            out.write(scratch, 0, k * 4);
        }
    }

    void readFloats(float[] a, int from, int n) throws IOException {
        for (int done = 0; done < n; done += CHUNK) {
            int k = Math.min(CHUNK, n - done);
            in.readFully(scratch, 0, k * 4);
            floats.get(0, a, from + done, k);
        }
    }

    void writeInts(int[] a, int from, int n) throws IOException {
        for (int done = 0; done < n; done += CHUNK) {
            int k = Math.min(CHUNK, n - done);
            ints.put(0, a, from + done, k);
            out.write(scratch, 0, k * 4);
        }
    }

    void readInts(int[] a, int from, int n) throws IOException {
        for (int done = 0; done < n; done += CHUNK) {
            int k = Math.min(CHUNK, n - done);
            in.readFully(scratch, 0, k * 4);
            ints.get(0, a, from + done, k);
        }
    }

    void flush() throws IOException { out.flush(); }

    /** Closes the socket; never throws. */
    @Override public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer sees the connection end either way
        }
    }
}
