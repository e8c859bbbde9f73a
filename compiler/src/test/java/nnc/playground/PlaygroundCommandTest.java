package nnc.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import nnc.cli.Main;
import org.junit.jupiter.api.Test;

/** {@code nnc playground}'s command line: help, and the problems it reports before serving. */
class PlaygroundCommandTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test void helpNamesTheFileAndThePort() {
        Result r = run("playground", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("[FILE]") && r.out().contains("--port=N") && r.out().contains("127.0.0.1"), r.out());
        assertTrue(run("--help").out().contains("playground"), "nnc --help lists the command");
    }

    @Test void aMissingFileIsAnInputError() {
        Result r = run("playground", "no/such/file.nn", "--port", "0");
        assertEquals(Main.INPUT, r.code(), r.err());
        assertTrue(r.err().contains("no/such/file.nn"), r.err());
        assertTrue(!r.err().contains("at nnc."), "no stack trace: " + r.err());
    }

    @Test void aBadPortIsAUsageError() {
        Result r = run("playground", "--port", "70000");
        assertEquals(Main.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--port must be 0 .. 65535"), r.err());
    }

    @Test void aPortInUseIsAnInputErrorWithAHint() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result r = run("playground", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(Main.INPUT, r.code(), r.err());
            assertTrue(r.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()) && r.err().contains("--port 0"), r.err());
        }
    }
}
