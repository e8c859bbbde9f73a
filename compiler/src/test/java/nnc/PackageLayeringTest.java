package nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nnc.cli.Main;
import org.junit.jupiter.api.Test;

/**
 * The compiler's packages form a DAG in pipeline order: each package uses only packages listed
 * before it in {@link #LAYERS}. Read off the constant pools of the compiled classes, so a
 * fully-qualified name in code counts as much as an import.
 */
class PackageLayeringTest {
    /**
     * Lowest first. {@code optim} sits below {@code check}: the checker validates a train block
     * against the optimiser catalog and produces the {@code optim.TrainConfig} the train stage reads.
     * {@code builtins} (each builtin's type rule and lowering) sits below both {@code check} and
     * {@code lower}, which run them.
     */
    static final List<String> LAYERS = List.of(
            "types", "diag", "grammar", "syntax", "ir", "optim", "builtins", "check", "lower", "autodiff", "passes",
            "kir", "schedule", "memory", "interp", "emit", "emit/java", "emit/bytecode", "emit/load", "driver", "profile", "playground", "cli");

    private static final Pattern REFERENCE = Pattern.compile("nnc/([a-z][a-z0-9]*(?:/[a-z][a-z0-9]*)*)/[A-Z]");

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() throws IOException, URISyntaxException {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new ArrayList<>();
        Set<String> unlisted = new TreeSet<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(classes.resolve("nnc"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String pkg = classes.relativize(f.getParent()).toString().replace('\\', '/').substring("nnc".length()).replaceFirst("^/", "");
                if (pkg.equals("grammar")) continue; // ANTLR's generated parser
                int layer = LAYERS.indexOf(pkg);
                if (layer < 0) {
                    unlisted.add(pkg);
                    continue;
                }
                checked++;
                Matcher m = REFERENCE.matcher(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                Set<String> uses = new TreeSet<>();
                while (m.find()) uses.add(m.group(1));
                for (String used : uses) {
                    int usedLayer = LAYERS.indexOf(used);
                    if (usedLayer > layer) found.add(classes.relativize(f) + " uses nnc." + used.replace('/', '.'));
                }
            }
        }
        assertTrue(checked > 300, "the compiler's classes were found: " + checked);
        assertEquals(Set.of(), unlisted, "packages missing from LAYERS (the root package and the runtime's are not the compiler's)");
        assertEquals(List.of(), found);
    }
}
