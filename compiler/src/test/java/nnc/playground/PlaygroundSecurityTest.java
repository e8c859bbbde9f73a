package nnc.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The playground's security rules over real HTTP: token, Host, Origin, size limits, loopback binding. */
class PlaygroundSecurityTest {
    static PlaygroundServer server;
    static Client client;

    @BeforeAll static void start() throws Exception {
        server = PlaygroundServer.start(0, "model M {}\n");
        client = new Client(server);
    }

    @AfterAll static void stop() { server.close(); }

    private static final String CHECK_BODY = "{\"source\": \"model M {}\"}";

    @Test void aRequestWithTheTokenIsServed() throws Exception {
        HttpResponse<String> r = client.get("/static/test-probe.txt");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("playground static probe\n", r.body());
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    }

    @Test void theTokenMayComeAsAQueryParameter() throws Exception {
        var r = client.send(HttpRequest.newBuilder(client.uri("/static/test-probe.txt?token=" + server.token())).GET().build());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test void noTokenIsRefused() throws Exception {
        var r = client.send(HttpRequest.newBuilder(client.uri("/static/test-probe.txt")).GET().build());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("no token"), r.body());
        var post = client.send(HttpRequest.newBuilder(client.uri("/api/check")).POST(HttpRequest.BodyPublishers.ofString(CHECK_BODY)).build());
        assertEquals(403, post.statusCode());
    }

    @Test void aWrongTokenIsRefused() throws Exception {
        String wrong = server.token().substring(1) + "A";
        var r = client.send(HttpRequest.newBuilder(client.uri("/api/check")).header("X-Nnc-Token", wrong)
                .POST(HttpRequest.BodyPublishers.ofString(CHECK_BODY)).build());
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("wrong token"), r.body());
        var q = client.send(HttpRequest.newBuilder(client.uri("/?token=" + wrong)).GET().build());
        assertEquals(403, q.statusCode());
    }

    @Test void aForeignOriginIsRefusedAndTheOwnOriginServed() throws Exception {
        var foreign = client.send(client.request("/api/check").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(CHECK_BODY)).build());
        assertEquals(403, foreign.statusCode());
        assertTrue(foreign.body().contains("other origins"), foreign.body());
        // its body unread, the refusal closes the connection and says so (the client must not send the next request on it)
        assertEquals("close", foreign.headers().firstValue("connection").orElse("keep-alive"));
        var otherPort = client.send(client.request("/api/check").header("Origin", "http://127.0.0.1:1")
                .POST(HttpRequest.BodyPublishers.ofString(CHECK_BODY)).build());
        assertEquals(403, otherPort.statusCode());
        var own = client.send(client.request("/api/check").header("Origin", "http://localhost:" + server.port())
                .POST(HttpRequest.BodyPublishers.ofString(CHECK_BODY)).build());
        assertEquals(200, own.statusCode(), own.body());
    }

    @Test void aForeignHostIsRefused() throws Exception {
        assertEquals(403, rawStatus("rebind.example:" + server.port()));
        assertEquals(403, rawStatus("127.0.0.1:" + (server.port() + 1)));
        assertEquals(200, rawStatus("localhost:" + server.port()));
    }

    /** The status of a GET sent over a plain socket with the given Host header (java.net.http will not send another Host). */
    private static int rawStatus(String host) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /static/test-probe.txt HTTP/1.1\r\nHost: " + host + "\r\nX-Nnc-Token: " + server.token()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test void anOversizedProgramIsRefusedWithAMessage() throws Exception {
        String big = "// " + "x".repeat(70 * 1024) + "\nmodel M {}\n";
        var r = client.post("/api/check", "{\"source\": " + Client.quote(big) + "}");
        assertEquals(413, r.statusCode());
        Map<String, Object> body = Client.object(r.body());
        assertTrue(((String) body.get("error")).contains("at most 65536 bytes"), r.body());
    }

    @Test void anOversizedBodyIsRefusedWithAMessage() throws Exception {
        String huge = "{\"source\": \"model M {}\", \"pad\": \"" + "y".repeat(300 * 1024) + "\"}";
        var r = client.post("/api/check", huge);
        assertEquals(413, r.statusCode());
        assertTrue(((String) Client.object(r.body()).get("error")).contains("limit of 262144 bytes") || r.body().contains("262144"), r.body());
    }

    @Test void staticNamesCannotLeaveTheFolder() throws Exception {
        var escaped = client.get("/static/..%2Fplayground.nn"); // Jetty refuses the encoded slash itself (400)
        assertTrue(escaped.statusCode() == 400 || escaped.statusCode() == 404, escaped.statusCode() + " " + escaped.body());
        assertFalse(escaped.body().contains("model Playground"));
        assertEquals(404, client.get("/static/.hidden").statusCode());
        assertEquals(404, client.get("/static/nope.js").statusCode());
    }

    @Test void theServerListensOnLoopbackOnly() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address.isLoopbackAddress() || !(address instanceof Inet4Address)) continue;
                boolean connected;
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(address, server.port()), 2000);
                    connected = true;
                } catch (IOException refused) {
                    connected = false;
                }
                assertFalse(connected, "the playground answered on " + address);
            }
        }
    }
}
