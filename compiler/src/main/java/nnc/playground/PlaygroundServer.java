package nnc.playground;

import java.io.IOException;
import nnc.runtime.train.Json;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The playground's HTTP server (Jetty, bound to 127.0.0.1): every request passes the {@link Guard},
 * then goes to the page's files, the source endpoints ({@link SourceApi}) or the training runs
 * ({@link RunApi}). Start with {@link #start(int, String)}, end with {@link #close()}.
 */
public final class PlaygroundServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;
    private final Runs runs = new Runs();
    private final String initialSource;
    private Guard guard;

    private PlaygroundServer(String initialSource) {
        this.initialSource = initialSource;
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("nnc-playground");
        pool.setDaemon(true);
        server = new Server(pool);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override public boolean handle(Request request, Response response, Callback callback) {
                serve(new Exchange(request, response), callback);
                return true;
            }
        });
    }

    /**
     * Starts a server on 127.0.0.1:{@code port} (0: a free port) whose page starts with {@code initialSource}.
     *
     * @throws IOException when the port cannot be bound
     */
    public static PlaygroundServer start(int port, String initialSource) throws IOException {
        PlaygroundServer s = new PlaygroundServer(initialSource);
        s.connector.setPort(port);
        try {
            s.server.start();
        } catch (IOException e) {
            s.close();
            throw e;
        } catch (Exception e) {
            s.close();
            throw new IOException(e.getMessage(), e);
        }
        s.guard = new Guard(Guard.newToken(), s.port());
        return s;
    }

    /** The bound port. */
    public int port() { return connector.getLocalPort(); }

    /** This launch's token. */
    public String token() { return guard.token(); }

    /** The page's address with the token. */
    public String url() { return "http://127.0.0.1:" + port() + "/?token=" + token(); }

    /** The runs in progress (for tests and the CLI). */
    Runs runs() { return runs; }

    /** Waits until the server stops. */
    public void join() throws InterruptedException { server.join(); }

    /** Stops every run and the server. */
    @Override public void close() {
        runs.stopAll();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the playground server: " + e.getMessage(), e);
        }
    }

    private void serve(Exchange x, Callback callback) {
        try {
            Fields query = Request.extractQueryParameters(x.request);
            var headers = x.request.getHeaders();
            String refusal = guard == null ? "refused: the server is starting" : guard.refusal(headers.get(HttpHeader.HOST),
                    headers.get(HttpHeader.ORIGIN), headers.get(Guard.TOKEN_HEADER), query.getValue("token"));
            x.response.getHeaders().put("Referrer-Policy", "no-referrer");
            x.response.getHeaders().put("X-Content-Type-Options", "nosniff");
            if (refusal != null) {
                // the refused request's body stays unread: close the connection after the answer, and say so,
                // or a client may send its next request on a connection the server is about to drop
                x.response.getHeaders().put(HttpHeader.CONNECTION, "close");
                x.text(403, refusal);
            } else {
                route(x);
            }
            callback.succeeded();
        } catch (HttpFailure f) {
            answer(x, f.status, f.body, callback);
        } catch (RuntimeException e) {
            answer(x, 500, Json.object().put("error", "internal error: " + e), callback);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            callback.failed(e);
        }
    }

    private static void answer(Exchange x, int status, Json body, Callback callback) {
        try {
            x.json(status, body);
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    private void route(Exchange x) throws IOException, InterruptedException {
        String path = x.path(), method = x.method();
        boolean get = method.equals("GET"), post = method.equals("POST");
        if (get && path.equals("/")) {
            x.bytes(200, StaticFiles.type("index.html"), StaticFiles.index(token()));
        } else if (get && path.startsWith("/static/")) {
            String name = path.substring("/static/".length());
            byte[] file = StaticFiles.read(name);
            if (file == null) throw new HttpFailure(404, "no static file " + name);
            x.bytes(200, StaticFiles.type(name), file);
        } else if (get && path.equals("/api/initial")) {
            x.json(200, Json.object().put("source", initialSource).put("name", Checked.FILE_NAME));
        } else if (post && path.equals("/api/check")) {
            x.json(200, SourceApi.check(x.jsonBody()));
        } else if (post && path.equals("/api/render")) {
            x.json(200, SourceApi.render(x.jsonBody()));
        } else if (post && path.equals("/api/code")) {
            x.json(200, SourceApi.code(x.jsonBody()));
        } else if (path.startsWith("/api/run")) {
            RunApi.route(runs, x, get, post);
        } else {
            throw new HttpFailure(404, "no such page or endpoint: " + method + " " + path);
        }
    }
}
