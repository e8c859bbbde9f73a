package nnc.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Training runs over real HTTP: start, the events stream's frames, commands, one run per page, a closed stream stops its run. */
class RunApiTest {
    static PlaygroundServer server;
    static Client client;

    static final Program CIRCLES = new Program("circles", 500, 0.05, 0.2, 10, List.of(4, 4), "tanh", "adam", 0.03, "none", 0, 100, 3);

    @BeforeAll static void start() throws Exception {
        server = PlaygroundServer.start(0, ProgramRenderer.render(CIRCLES));
        client = new Client(server);
    }

    @AfterAll static void stop() { server.close(); }

    private static String startRun(String page, String source) throws Exception {
        Map<String, Object> answer = client.postOk("/api/run", "{\"source\": " + Client.quote(source) + ", \"page\": \"" + page + "\"}");
        assertEquals(List.of(2L, 4L, 4L, 1L), answer.get("layers"));
        return (String) answer.get("run");
    }

    /** An open events stream, read event by event. */
    static final class Events implements AutoCloseable {
        final InputStream body;
        final BufferedReader lines;

        Events(String run) throws Exception {
            HttpResponse<InputStream> r = client.http.send(client.request("/api/run/" + run + "/events").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
            body = r.body();
            lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        /** The next event's name and data (comments skipped). */
        String[] next() throws Exception {
            String name = null, data = null;
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("event: ")) name = line.substring(7);
                else if (line.startsWith("data: ")) data = line.substring(6);
                else if (line.isEmpty() && name != null) return new String[] {name, data};
            }
            throw new AssertionError("the events stream ended");
        }

        Map<String, Object> nextFrame() throws Exception {
            String[] e = next();
            assertEquals("frame", e[0], e[1]);
            return Client.object(e[1]);
        }

        @Override public void close() throws Exception { body.close(); }
    }

    @Test void aRunsFramesShowTheTestLossFallingOnCircles() throws Exception {
        String run = startRun("page-train", ProgramRenderer.render(CIRCLES));
        Map<String, Object> data = Client.object(client.get("/api/run/" + run + "/data").body());
        assertEquals(400, ((List<?>) data.get("train")).size());
        assertEquals(100, ((List<?>) data.get("test")).size());
        try (Events events = new Events(run)) {
            Map<String, Object> first = events.nextFrame();
            assertEquals(0L, first.get("epoch"));
            assertEquals("paused", first.get("state"));
            assertEquals(50L, first.get("grid"));
            assertEquals(2500, Base64.getDecoder().decode((String) first.get("boundary")).length);
            List<?> neurons = (List<?>) first.get("neurons");
            assertEquals(2, neurons.size());
            for (Object layer : neurons) {
                assertEquals(4, ((List<?>) layer).size());
                for (Object map : (List<?>) layer) assertEquals(2500, Base64.getDecoder().decode((String) map).length);
            }
            List<?> weights = (List<?>) first.get("weights");
            assertEquals(List.of(2, 4, 4), weights.stream().map(w -> ((List<?>) w).size()).toList());
            assertEquals(List.of(4, 4, 1), weights.stream().map(w -> ((List<?>) ((List<?>) w).get(0)).size()).toList());
            double firstTestLoss = ((Number) first.get("testLoss")).doubleValue();

            assertEquals("playing", Client.object(client.post("/api/run/" + run + "/play", "{}").body()).get("state"));
            Map<String, Object> frame = first;
            for (int i = 0; i < 4000 && ((Number) frame.get("testLoss")).doubleValue() > 0.15; i++) frame = events.nextFrame();
            double testLoss = ((Number) frame.get("testLoss")).doubleValue();
            assertTrue(testLoss <= 0.15 && testLoss < firstTestLoss, "test loss " + firstTestLoss + " -> " + testLoss);
            assertEquals("playing", frame.get("state"));
            assertTrue((Long) frame.get("epoch") > 0);

            Map<String, Object> paused = Client.object(client.post("/api/run/" + run + "/pause", "{}").body());
            assertEquals("paused", paused.get("state"));
            Map<String, Object> last = events.nextFrame();
            while (!last.get("state").equals("paused")) last = events.nextFrame();
            byte[] boundary = Base64.getDecoder().decode((String) last.get("boundary"));
            assertTrue((boundary[25 * 50 + 25] & 0xFF) > 200, "the centre (class 1) is " + (boundary[25 * 50 + 25] & 0xFF));
            int ringRow = 25 - 9, ringCol = 25; // y ≈ 1 with the grid's half-width 2.5 (10 cells per unit... checked below)
            assertNotNull(data.get("range"));
            double half = ((Number) ((List<?>) data.get("range")).get(1)).doubleValue();
            ringRow = (int) Math.round(25 - 1.0 / (2 * half / 50)) - 1;
            assertTrue((boundary[ringRow * 50 + ringCol] & 0xFF) < 55, "the outer circle (class 0) is " + (boundary[ringRow * 50 + ringCol] & 0xFF));

            long epoch = (Long) last.get("epoch");
            Map<String, Object> stepped = Client.object(client.post("/api/run/" + run + "/step", "{}").body());
            assertEquals(Map.of("state", "paused", "epoch", epoch + 1), stepped);
            Map<String, Object> reset = Client.object(client.post("/api/run/" + run + "/reset", "{}").body());
            assertEquals(Map.of("state", "paused", "epoch", 0L), reset);
            Map<String, Object> afterReset = events.nextFrame();
            while (!afterReset.get("epoch").equals(0L)) afterReset = events.nextFrame();
            assertEquals(first.get("boundary"), afterReset.get("boundary"), "reset gives the seed's initial parameters");
        }
    }

    @Test void closingTheEventsStreamStopsTheRun() throws Exception {
        String run = startRun("page-close", ProgramRenderer.render(CIRCLES));
        try (Events events = new Events(run)) {
            events.nextFrame();
            client.post("/api/run/" + run + "/play", "{}");
            events.nextFrame();
        }
        int status = 200;
        for (int i = 0; i < 600 && status == 200; i++) {
            Thread.sleep(20);
            status = client.post("/api/run/" + run + "/pause", "{}").statusCode();
        }
        assertEquals(404, status, "the run of a closed stream is discarded");
    }

    @Test void aSecondRunFromThePageReplacesTheFirst() throws Exception {
        String source = ProgramRenderer.render(CIRCLES);
        String first = startRun("page-twice", source);
        String second = startRun("page-twice", source);
        assertEquals(404, client.post("/api/run/" + first + "/play", "{}").statusCode());
        assertEquals(200, client.post("/api/run/" + second + "/step", "{}").statusCode());
        assertEquals(404, client.get("/api/run/" + first + "/data").statusCode());
    }

    @Test void atMostFourWatchedRunsAndUnwatchedOnesMakeRoom() throws Exception {
        PlaygroundServer own = PlaygroundServer.start(0, "");
        Client saved = client;
        client = new Client(own);
        List<Events> streams = new ArrayList<>();
        try {
            String source = ProgramRenderer.render(CIRCLES);
            String unwatched = startRun("quiet", source);
            for (int i = 0; i < Runs.MAX; i++) {
                Events e = new Events(startRun("watched" + i, source));
                e.nextFrame(); // the stream is open: the run is watched
                streams.add(e);
            }
            assertEquals(404, client.post("/api/run/" + unwatched + "/play", "{}").statusCode(), "the unwatched run made room");
            var refused = client.post("/api/run", "{\"source\": " + Client.quote(source) + ", \"page\": \"fifth\"}");
            assertEquals(429, refused.statusCode());
            assertTrue(refused.body().contains("already trains 4 runs"), refused.body());
            streams.remove(0).close();
            String fifth = null;
            for (int i = 0; i < 600 && fifth == null; i++) { // the closed stream's run goes once the server notices
                var r = client.post("/api/run", "{\"source\": " + Client.quote(source) + ", \"page\": \"fifth\"}");
                if (r.statusCode() == 200) fifth = (String) Client.object(r.body()).get("run");
                else Thread.sleep(20);
            }
            assertNotNull(fifth, "a closed page's run makes room");
            assertEquals(Runs.MAX, own.runs().size());
        } finally {
            for (Events e : streams) e.close();
            client = saved;
            own.close();
        }
        assertEquals(0, own.runs().size());
    }

    @Test void aProgramWithErrorsIsRefusedWithItsDiagnostics() throws Exception {
        var r = client.post("/api/run", "{\"source\": \"model M { input x: f32[batch, 2] output y = x @ x }\", \"page\": \"p\"}");
        assertEquals(400, r.statusCode());
        assertTrue(Client.object(r.body()).get("diagnostics") instanceof List<?> l && !l.isEmpty(), r.body());
    }

    @Test void aNetworkTooLargeToStreamIsNotRun() throws Exception {
        String source = ProgramRenderer.render(CIRCLES).replace("dense(x, 4)", "dense(x, 17)");
        var r = client.post("/api/run", "{\"source\": " + Client.quote(source) + ", \"page\": \"p\"}");
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("at most 16 neurons"), r.body());
    }

    @Test void aProgramThatReadsFilesIsNotRun() throws Exception {
        String source = ProgramRenderer.render(CIRCLES).replace("data      circles(n = 400, noise = 0.05)", "data      csv(\"/etc/passwd\")");
        var r = client.post("/api/run", "{\"source\": " + Client.quote(source) + ", \"page\": \"p\"}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("circles, xor, gaussians or spiral"), r.body());
    }
}
