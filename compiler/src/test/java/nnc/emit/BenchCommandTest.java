package nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nnc.cli.Main;
import nnc.runtime.io.JsonParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code nnc bench}: its JSON line has the documented keys with sane values; bad options are user errors. */
class BenchCommandTest {
    record Result(int code, String out, String err) {}

    static Result nnc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static Path sample(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve("samples/playground.nn"))) return p.resolve("samples/" + name + ".nn");
        throw new IllegalStateException("samples/ not found");
    }

    @ParameterizedTest
    @CsvSource({"playground, bytecode, on, 1, 10", "fashion_mlp, java, off, 2, 16", "housing, interp, on, 1, 5"})
    void jsonLineHasKeysAndPositiveNumbers(String sample, String backend, String simd, int threads, int batch) {
        Result r = nnc("bench", sample(sample).toString(), "--backend", backend, "--simd", simd, "--threads", "" + threads,
                "--batch", "" + batch, "--seconds", "0.2", "--json");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(lines[0]);
        double steps = ((Number) json.get("steps_per_s")).doubleValue();
        double samples = ((Number) json.get("samples_per_s")).doubleValue();
        assertTrue(steps > 0 && Double.isFinite(steps), r.out());
        assertEquals(steps * batch, samples, 1e-6 * samples, "samples/s = steps/s × batch");
        assertEquals(backend, json.get("backend"));
        assertEquals(threads, ((Number) json.get("threads")).intValue());
        assertEquals(batch, ((Number) json.get("batch")).intValue());
    }

    @Test
    void plainOutputNamesTheModelAndRates() {
        Result r = nnc("bench", sample("playground").toString(), "--seconds", "0.1", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Playground: ") && r.out().contains("steps/s") && r.out().contains("samples/s"), r.out());
    }

    @ParameterizedTest
    @CsvSource({"--simd, maybe, --simd must be on or off", "--threads, 0, --threads must be between", "--backend, gpu, unknown backend",
            "--seconds, 0, --seconds must be", "--batch, 0, --batch must be at least 1"})
    void badOptionsAreUserErrors(String flag, String value, String message) {
        Result r = nnc("bench", sample("playground").toString(), flag, value);
        assertEquals(2, r.code(), "a usage error: " + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(r.err().contains("at nnc."), r.err());
    }
}
