package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a published nnc needs from the repository: the licence the poms name, and a runtime that
 * ships only what the compiler or generated trainers use (no measurement or benchmark classes).
 */
class PublishingTest {
    static Path root() { return ExitCodesTest.samples().getParent(); }

    @Test void theLicenceFileIsTheOneThePomNames() throws IOException {
        String license = Files.readString(root().resolve("LICENSE")), pom = Files.readString(root().resolve("pom.xml"));
        assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004"), "LICENSE is Apache-2.0");
        assertTrue(pom.contains("<name>Apache License, Version 2.0</name>"), "the parent pom names it");
        for (String tag : new String[] {"<url>", "<scm>", "<developers>", "<description>"}) assertTrue(pom.contains(tag), tag);
    }

    /** Every class of the runtime is used by another class of the runtime or by the compiler (which emits the calls trainers make). */
    @Test void everyRuntimeClassIsUsedByTheRuntimeOrTheCompiler() throws IOException {
        Path runtime = root().resolve("runtime/src/main/java"), compiler = root().resolve("compiler/src/main/java");
        List<Path> runtimeFiles = javaFiles(runtime);
        List<String> texts = new ArrayList<>();
        List<Path> all = new ArrayList<>(runtimeFiles);
        all.addAll(javaFiles(compiler));
        for (Path p : all) texts.add(Files.readString(p));
        List<String> unused = new ArrayList<>();
        for (Path f : runtimeFiles) {
            String name = f.getFileName().toString().replace(".java", "");
            Pattern word = Pattern.compile("\\b" + Pattern.quote(name) + "\\b");
            boolean used = false;
            for (int i = 0; i < all.size() && !used; i++) {
                if (all.get(i).equals(f)) continue;
                Matcher m = word.matcher(texts.get(i));
                used = m.find();
            }
            if (!used) unused.add(name);
        }
        assertEquals(List.of(), unused, "runtime classes nothing in the runtime or the compiler uses (move them to benchmarks/ or the tests)");
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
