package nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The emit packages form a DAG: {@code nnc.emit} (what both emitters share) uses neither back end;
 * {@code nnc.emit.java} and {@code nnc.emit.bytecode} use {@code nnc.emit} and not each other;
 * only {@code nnc.emit.load} uses both. Read off the compiled classes' constant pools.
 */
class EmitLayeringTest {
    @Test
    void noEmitPackageReachesBackIntoAnother() throws IOException, URISyntaxException {
        Path classes = Path.of(KernelDispatch.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("nnc/emit");
        Map<String, List<String>> forbidden = Map.of(
                "", List.of("nnc/emit/java/", "nnc/emit/bytecode/", "nnc/emit/load/"),
                "java", List.of("nnc/emit/bytecode/", "nnc/emit/load/"),
                "bytecode", List.of("nnc/emit/java/", "nnc/emit/load/"));
        List<String> found = new ArrayList<>();
        int checked = 0;
        for (var e : forbidden.entrySet()) {
            Path dir = e.getKey().isEmpty() ? classes : classes.resolve(e.getKey());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    checked++;
                    for (String other : e.getValue()) if (text.contains(other)) found.add(classes.relativize(f) + " uses " + other);
                }
            }
        }
        assertTrue(checked > 30, "the classes were found: " + checked);
        assertEquals(List.of(), found);
    }
}
