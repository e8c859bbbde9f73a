package nnc.playground;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The page's files, read from {@code nnc/playground/static/} on the class path (inside nnc.jar):
 * {@code index.html} with every {@code {{TOKEN}}} replaced by the launch token, and the others as
 * they are. Names are single path segments of letters, digits, {@code . _ -}.
 */
final class StaticFiles {
    static final String FOLDER = "nnc/playground/static/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "png", "image/png", "svg", "image/svg+xml", "json", "application/json; charset=utf-8", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

    private StaticFiles() {}

    /** The page with the token filled in. */
    static byte[] index(String token) throws IOException {
        byte[] page = read("index.html");
        if (page == null) throw new HttpFailure(500, "nnc.jar has no " + FOLDER + "index.html");
        return new String(page, StandardCharsets.UTF_8).replace("{{TOKEN}}", token).getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of static file {@code name}, or null when there is none (or the name is not a plain file name). */
    static byte[] read(String name) throws IOException {
        if (!NAME.matcher(name).matches()) return null;
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** The content type for {@code name}, by its extension. */
    static String type(String name) {
        int dot = name.lastIndexOf('.');
        return TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1), "application/octet-stream");
    }
}
