package nnc.playground;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import nnc.runtime.io.JsonParser;
import nnc.runtime.train.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/** One request and its response: the body read within a limit, and blocking writes of JSON, text and bytes. */
final class Exchange {
    /** The largest request body: 256 KiB. */
    static final int MAX_BODY = 256 * 1024;
    /** How much of a too large body is read and dropped before the 413 answer. */
    static final int MAX_DRAIN = 16 * 1024 * 1024;

    final Request request;
    final Response response;

    Exchange(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    /** The path without the query. */
    String path() { return Request.getPathInContext(request); }

    String method() { return request.getMethod(); }

    /** The body as a JSON object, or {@link HttpFailure} 413 (too large) or 400 (not a JSON object). */
    Map<String, Object> jsonBody() throws IOException {
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                drain(in); // read what the client sends so that it reads the answer rather than a reset connection
                throw HttpFailure.tooLarge("the request body is larger than the limit of " + MAX_BODY + " bytes");
            }
        }
        try {
            if (JsonParser.parse(new String(bytes, StandardCharsets.UTF_8)) instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
                return map;
            }
        } catch (JsonParser.JsonException e) {
            throw new HttpFailure(400, "the request body is not JSON: " + e.getMessage());
        }
        throw new HttpFailure(400, "the request body must be a JSON object");
    }

    /** Reads and drops the rest of a too large body, up to {@value #MAX_DRAIN} bytes. */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[16384];
        long read = 0;
        for (int n; read < MAX_DRAIN && (n = in.read(buffer)) > 0; ) read += n;
    }

    /** Reads and drops the body of a request whose body means nothing (an unread body would cost the connection). */
    void discardBody() throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            drain(in);
        }
    }

    void json(int status, Json body) throws IOException { send(status, "application/json; charset=utf-8", body.toString()); }

    void text(int status, String body) throws IOException { send(status, "text/plain; charset=utf-8", body + "\n"); }

    void send(int status, String contentType, String body) throws IOException {
        bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
        write(true, body);
    }

    /** Writes {@code body} and waits until it is written (an {@link IOException} when the client has gone). */
    void write(boolean last, byte[] body) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(last, ByteBuffer.wrap(body), cb);
            cb.block();
        }
    }
}
