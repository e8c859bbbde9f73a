package nnc.playground;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import nnc.runtime.io.JsonParser;

/** A test's HTTP client of a running playground server: requests with the token, and JSON answers. */
final class Client {
    final PlaygroundServer server;
    final HttpClient http = HttpClient.newHttpClient();

    Client(PlaygroundServer server) { this.server = server; }

    URI uri(String path) { return URI.create("http://127.0.0.1:" + server.port() + path); }

    HttpRequest.Builder request(String path) { return HttpRequest.newBuilder(uri(path)).header("X-Nnc-Token", server.token()); }

    HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException { return send(request(path).GET().build()); }

    /** POSTs and returns the answer's JSON object, failing unless the status is 200. */
    Map<String, Object> postOk(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = post(path, json);
        if (r.statusCode() != 200) throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        return object(r.body());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) { return (Map<String, Object>) JsonParser.parse(json); }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
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
