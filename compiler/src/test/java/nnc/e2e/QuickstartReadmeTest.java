package nnc.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's quickstart shows exactly the files of {@code samples/quickstart}, which the build compiles and tests. */
class QuickstartReadmeTest {
    private static final List<String> FILES = List.of("pom.xml", "src/main/nn/Blobs.nn", "src/main/java/quickstart/Train.java",
            "src/main/java/quickstart/Predict.java");

    @Test
    void theReadmesQuickstartBlocksAreTheSampleProjectsFiles() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("samples/quickstart/pom.xml"))) root = root.getParent();
        String readme = Files.readString(root.resolve("README.md"));
        int from = readme.indexOf("### Quickstart"), to = readme.indexOf("\n### ", from + 1);
        List<String> blocks = new ArrayList<>();
        for (String part : readme.substring(from, to).split("```")) blocks.add(part);
        List<String> code = new ArrayList<>(); // every second part is a fenced block: its language line, then the text
        for (int i = 1; i < blocks.size(); i += 2) code.add(blocks.get(i).substring(blocks.get(i).indexOf('\n') + 1));
        assertEquals(FILES.size(), code.size(), "fenced blocks in the README's quickstart");
        for (int i = 0; i < FILES.size(); i++)
            assertEquals(Files.readString(root.resolve("samples/quickstart").resolve(FILES.get(i))), code.get(i), FILES.get(i));
    }
}
