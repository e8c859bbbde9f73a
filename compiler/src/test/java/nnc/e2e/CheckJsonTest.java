package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nnc.runtime.io.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc check --format json}: the diagnostics as editors read them. */
class CheckJsonTest {
    @TempDir Path tmp;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> files(CliTest.Result r) {
        String line = r.out().strip();
        assertEquals(1, line.lines().count(), "one line of JSON: " + r.out());
        return (List<Map<String, Object>>) ((Map<String, Object>) JsonParser.parse(line)).get("files");
    }

    @Test
    @SuppressWarnings("unchecked")
    void errorsCarryExactSpansMessageAndHint() throws Exception {
        Path bad = tmp.resolve("bad.nn");
        Files.writeString(bad, """
                model M {
                 input x: f32[batch, 3]
                 target y: f32[batch, 1]
                 param w: f32[2, 1] = zeros
                 loss mse(x @ w, y)
                }
                """);
        CliTest.Result r = CliTest.nnc("check", "--format", "json", bad.toString(), Samples.file("playground").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.err());
        List<Map<String, Object>> files = files(r);
        assertEquals(2, files.size());
        Map<String, Object> first = files.get(0);
        assertEquals(bad.toString(), first.get("file"));
        assertEquals(false, first.get("ok"));
        Map<String, Object> d = ((List<Map<String, Object>>) first.get("diagnostics")).get(0);
        assertEquals("error", d.get("severity"));
        assertEquals(List.of(5, 11, 5, 16), List.of(num(d, "line"), num(d, "column"), num(d, "end_line"), num(d, "end_column")));
        assertTrue(((String) d.get("message")).contains("f32[batch,3] @ f32[2,1]"), d.toString());
        assertTrue(d.containsKey("hint"), d.toString());
        Map<String, Object> second = files.get(1);
        assertEquals(true, second.get("ok"));
        assertEquals(List.of("Playground"), second.get("models"));
    }

    @Test
    void unreadableFilesAreReportedInTheJsonToo() {
        CliTest.Result r = CliTest.nnc("check", "--format", "json", tmp.resolve("missing.nn").toString());
        assertEquals(1, r.code());
        var files = files(r);
        assertEquals(false, files.get(0).get("ok"));
        assertTrue(files.get(0).get("diagnostics").toString().contains("no such file"), r.out());
    }

    @Test
    void anUnknownFormatIsAUserError() {
        CliTest.Result r = CliTest.nnc("check", "--format", "xml", Samples.file("playground").toString());
        assertEquals(2, r.code(), "a usage error");
        assertTrue(r.err().contains("--format must be text or json"), r.err());
    }

    private static int num(Map<String, Object> m, String key) { return ((Number) m.get(key)).intValue(); }
}
