package nnc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import nnc.playground.PlaygroundServer;
import nnc.runtime.io.JsonParser;

/**
 * What the page's events stream costs a playground run's training: samples per second of the same
 * run playing for a fixed time with nobody watching, then with the events stream open and read
 * (as the page does; the frames are received, not parsed), alternating, over real HTTP on a server in this JVM. Prints each pair and the
 * median ratio streaming / not streaming, and the frames per second the stream delivered.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar nnc.bench.PlaygroundStreamingCost [FILE.nn] [SECONDS] [PAIRS]</pre>
 */
public final class PlaygroundStreamingCost {
    private PlaygroundStreamingCost() {}

    public static void main(String[] args) throws Exception {
        String source = Files.readString(Path.of(args.length > 0 ? args[0] : "samples/playground.nn"));
        long millis = (long) (1000 * (args.length > 1 ? Double.parseDouble(args[1]) : 4));
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (PlaygroundServer server = PlaygroundServer.start(0, source)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            System.out.printf("%s: %.1f s per measurement after 1 s of warm-up, %d pairs%n",
                    args.length > 0 ? args[0] : "samples/playground.nn", millis / 1e3, pairs);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                double quiet = measure(http, server, base, source, millis, false, null);
                AtomicInteger frames = new AtomicInteger();
                double streaming = measure(http, server, base, source, millis, true, frames);
                ratios.add(streaming / quiet);
                System.out.printf("not streaming %,.0f samples/s, streaming %,.0f samples/s (%.1f frames/s): ratio %.3f%n",
                        quiet, streaming, frames.get() / (millis / 1e3), streaming / quiet);
            }
            ratios.sort(null);
            System.out.printf("median ratio streaming / not streaming: %.3f%n", ratios.get(ratios.size() / 2));
        }
    }

    /**
     * Samples per second of a new run playing for {@code millis} after a second of warm-up, with or
     * without an open events stream (closing it ends the run, so each measurement starts its own).
     */
    private static double measure(HttpClient http, PlaygroundServer server, String base, String source, long millis,
                                  boolean stream, AtomicInteger frames) throws Exception {
        String run = (String) post(http, server, base + "/api/run", "{\"source\": " + quote(source) + ", \"page\": \"bench\"}").get("run");
        int rows = ((List<?>) get(http, server, base + "/api/run/" + run + "/data").get("train")).size();
        Thread reader = null;
        InputStream[] body = new InputStream[1];
        AtomicBoolean counting = new AtomicBoolean();
        if (stream) {
            HttpResponse<InputStream> r = http.send(request(server, base + "/api/run/" + run + "/events").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            body[0] = r.body();
            reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(body[0], StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (line.startsWith("data: ") && counting.get()) frames.incrementAndGet(); // the browser parses it in its own process
                    }
                } catch (IOException closed) {
                    // the measurement is over
                }
            });
            reader.start();
        }
        post(http, server, base + "/api/run/" + run + "/play", "{}");
        Thread.sleep(1000);
        long e0 = ((Number) post(http, server, base + "/api/run/" + run + "/pause", "{}").get("epoch")).longValue();
        counting.set(true);
        long t0 = System.nanoTime();
        post(http, server, base + "/api/run/" + run + "/play", "{}");
        Thread.sleep(millis);
        long e1 = ((Number) post(http, server, base + "/api/run/" + run + "/pause", "{}").get("epoch")).longValue();
        long t1 = System.nanoTime();
        if (stream) {
            body[0].close();
            reader.join();
        }
        return (e1 - e0) * (double) rows / ((t1 - t0) / 1e9);
    }

    private static HttpRequest.Builder request(PlaygroundServer server, String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).header("X-Nnc-Token", server.token());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> post(HttpClient http, PlaygroundServer server, String uri, String json) throws Exception {
        HttpResponse<String> r = http.send(request(server, uri).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
        return (Map<String, Object>) JsonParser.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> get(HttpClient http, PlaygroundServer server, String uri) throws Exception {
        return (Map<String, Object>) JsonParser.parse(http.send(request(server, uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
