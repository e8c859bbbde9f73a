package nnc.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nnc.runtime.io.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/check}, {@code /api/render}, {@code /api/code} and {@code /api/initial} over real HTTP. */
class SourceApiTest {
    static PlaygroundServer server;
    static Client client;
    static String sample;

    @BeforeAll static void start() throws Exception {
        sample = Files.readString(Path.of("../samples/playground.nn"));
        server = PlaygroundServer.start(0, sample);
        client = new Client(server);
    }

    @AfterAll static void stop() { server.close(); }

    private static Map<String, Object> check(String source) throws Exception {
        return client.postOk("/api/check", "{\"source\": " + Client.quote(source) + ", \"seq\": 7}");
    }

    @Test void theInitialProgramIsTheSample() throws Exception {
        assertEquals(sample, Client.object(client.get("/api/initial").body()).get("source"));
    }

    @Test void aShapeErrorIsReportedAtItsLineAndColumn() throws Exception {
        String source = """
                model Playground {
                  input  x: f32[batch, 2]
                  target y: f32[batch, 1]
                  h1     = tanh(dense(x, 4))
                  logits = dense(h1, 1) @ x
                  output p = sigmoid(logits)
                  loss   bce_with_logits(logits, y)
                }
                """;
        Map<String, Object> answer = check(source);
        assertEquals(false, answer.get("ok"));
        assertEquals(7L, answer.get("seq"));
        @SuppressWarnings("unchecked") List<Map<String, Object>> diagnostics = (List<Map<String, Object>>) answer.get("diagnostics");
        assertEquals(1, diagnostics.size(), diagnostics.toString());
        Map<String, Object> d = diagnostics.get(0);
        assertEquals(5L, d.get("line"));
        assertEquals(12L, d.get("column"));
        assertEquals(5L, d.get("endLine"));
        assertEquals(28L, d.get("endColumn"));
        assertEquals("error", d.get("severity"));
        assertTrue(((String) d.get("message")).contains("inner dimensions"), d.toString());
        assertEquals(JsonParser.NULL, answer.get("program"));
    }

    @Test void theSampleIsAProgramOfTheControls() throws Exception {
        Map<String, Object> answer = check(sample);
        assertEquals(true, answer.get("ok"), answer.toString());
        @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) answer.get("program");
        assertEquals("circles", p.get("dataset"));
        assertEquals(1000L, p.get("n"));
        assertEquals(List.of(3L), p.get("hidden"));
        assertEquals("sigmoid", p.get("activation"));
        assertEquals("sgd", p.get("optimizer"));
        assertEquals(0.5, p.get("lr"));
        assertEquals(0.0, p.get("testFraction"));
    }

    @Test void aProgramOutsideTheControlsSaysWhy() throws Exception {
        Map<String, Object> answer = check(sample.replace("optimizer sgd(lr = 0.5)", "optimizer rmsprop(lr = 0.01)"));
        assertEquals(true, answer.get("ok"));
        assertEquals(JsonParser.NULL, answer.get("program"));
        assertTrue(((String) answer.get("why")).contains("optimizer"), answer.toString());
    }

    @Test void renderThenCheckGivesBackTheProgram() throws Exception {
        Random random = new Random(17);
        String[] datasets = {"circles", "xor", "gaussians", "spiral"}, activations = {"tanh", "relu", "sigmoid", "linear"};
        String[] optimizers = {"sgd", "momentum", "adam"}, regs = {"none", "l1", "l2"};
        double[] rates = {0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 1, 3}, noises = {0, 0.05, 0.1, 0.25, 0.5};
        double[] fractions = {0, 0.1, 0.2, 0.3, 0.5, 0.9};
        for (int i = 0; i < 60; i++) {
            int layers = random.nextInt(Program.MAX_LAYERS + 1);
            List<Integer> hidden = random.ints(layers, 1, Program.MAX_NEURONS + 1).boxed().toList();
            String activation = layers == 0 ? "tanh" : activations[random.nextInt(4)];
            String reg = regs[random.nextInt(3)];
            Program p = new Program(datasets[random.nextInt(4)], 10 * (1 + random.nextInt(500)), noises[random.nextInt(noises.length)],
                    fractions[random.nextInt(fractions.length)], 1 + random.nextInt(30), hidden, activation, optimizers[random.nextInt(3)],
                    rates[random.nextInt(rates.length)], reg, reg.equals("none") ? 0 : rates[random.nextInt(rates.length)] / 100,
                    1 + random.nextInt(1000), random.nextInt(100));
            Map<String, Object> rendered = client.postOk("/api/render", "{\"program\": " + p.json() + "}");
            Map<String, Object> checked = check((String) rendered.get("source"));
            assertEquals(true, checked.get("ok"), rendered.get("source") + " " + checked);
            assertEquals(p, Program.fromJson(checked.get("program")), (String) rendered.get("source"));
        }
    }

    @Test void renderRefusesABadProgram() throws Exception {
        Program p = new Program("spiral", 100, 0.1, 0.2, 10, List.of(4), "tanh", "adam", 0.01, "none", 0, 10, 1);
        String json = p.json().toString().replace("\"spiral\"", "\"moons\"");
        var r = client.post("/api/render", "{\"program\": " + json + "}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("dataset must be one of"), r.body());
    }

    @Test void codeListsTheKernelsWithTheirLines() throws Exception {
        Map<String, Object> answer = client.postOk("/api/code", "{\"source\": " + Client.quote(sample) + "}");
        String java = (String) answer.get("java");
        assertTrue(java.contains("public final class Playground"), java.substring(0, 400));
        @SuppressWarnings("unchecked") List<Map<String, Object>> kernels = (List<Map<String, Object>>) answer.get("kernels");
        assertFalse(kernels.isEmpty());
        for (Map<String, Object> k : kernels) {
            assertTrue(java.contains("private static void " + k.get("name") + "("), k.toString());
            long line = (Long) k.get("line");
            assertTrue(line == 4 || line == 5 || line == 6 || line == 7, k.toString()); // the model's layer, output and loss lines
        }
        assertTrue(kernels.stream().anyMatch(k -> k.get("role").equals("backward")), kernels.toString());
        assertTrue(kernels.stream().anyMatch(k -> k.get("role").equals("update")), kernels.toString());
        assertTrue(kernels.stream().anyMatch(k -> k.get("role").equals("forward")), kernels.toString());
        // the train step's kernels run forward (layers, output, loss), then backward, then the update
        List<Object> roles = kernels.stream().filter(k -> ((String) k.get("name")).startsWith("train")).map(k -> k.get("role")).toList();
        List<Object> order = List.of("forward", "backward", "update");
        for (int i = 1; i < roles.size(); i++)
            assertTrue(order.indexOf(roles.get(i - 1)) <= order.indexOf(roles.get(i)), roles.toString());
    }

    @Test void codeOfABadProgramIsA400WithDiagnostics() throws Exception {
        var r = client.post("/api/code", "{\"source\": \"model M { input x: f32[batch, 2] output y = x @ x }\"}");
        assertEquals(400, r.statusCode());
        assertTrue(Client.object(r.body()).get("diagnostics") instanceof List<?> l && !l.isEmpty(), r.body());
    }
}
