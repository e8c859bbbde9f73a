package nnc.emit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.CodeBlock;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.lang.model.SourceVersion;
import nnc.emit.NameLimits;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Hostile text through {@link JavaText} (and JavaPoet's {@code $S}) cannot change the meaning of the
 * Java source it lands in: javac compiles the class, its string constants hold the text exactly, and
 * a payload hidden in a comment never runs.
 */
public class JavaTextTest {
    static final String PAYLOAD = "static{System.setProperty(\"nnc.injected\",\"javatext\");}";
    /** Pieces that break naive embedding in Java source. */
    static final List<String> PIECES = List.of("\\u000a", "\\u002a\\u002f", "\\u002f\\u002a", "*/", "/*", "//", "\r\n", "\r", "\n",
            "\u2028", "\u2029", "\u0085", "\0", "\u0007", "\t", "\\", "\\\\u", "\\uu002a", "\"", "'", "é", "\uD83D\uDE00", "\uD800", "\uDC00",
            "$L", "$S", "%s", "{@code", "}", "@param", "<b>", PAYLOAD, " ", "\\u0022", "u", "*", "/", "a");

    /** Joins 1..12 seeded random pieces; every fourth string is the classic comment-escape injection. */
    public static String hostile(Random r) {
        if (r.nextInt(4) == 0) return "\\u002a\\u002f " + PAYLOAD + " \\u002f\\u002a";
        StringBuilder sb = new StringBuilder();
        for (int k = 1 + r.nextInt(12); k > 0; k--) sb.append(PIECES.get(r.nextInt(PIECES.size())));
        return sb.toString();
    }

    @RepeatedTest(8)
    void commentsJavadocAndLiteralsKeepTheirMeaning(RepetitionInfo info) throws Exception {
        Random r = new Random(20261206L + info.getCurrentRepetition());
        List<String> texts = new ArrayList<>();
        for (int k = 0; k < 24; k++) texts.add(hostile(r));
        texts.add("x".repeat(70_000));
        StringBuilder src = new StringBuilder("package gen;\n/** ").append(JavaText.javadoc(texts.get(0))).append(" */\npublic final class Hostile {\n");
        StringBuilder poet = new StringBuilder("package gen;\npublic final class Poet {\n");
        for (int k = 0; k < texts.size(); k++) {
            String t = texts.get(k);
            assertSafeComment(JavaText.comment(t), t);
            for (String line : JavaText.javadoc(t).split("\n", -1)) assertSafeComment(line, t);
            src.append("    // ").append(JavaText.comment(t)).append('\n');
            src.append("    /* ").append(JavaText.comment(t)).append(" */\n");
            src.append("    /**\n     * ").append(JavaText.javadoc(t).replace("\n", "\n     * ")).append("\n     */\n");
            if (t.length() < 60_000 && !poetBreaks(t)) poet.append("    public static final String P").append(k).append(" = ").append(CodeBlock.of("$S", t)).append(";\n");
            if (t.length() < 60_000) {
                src.append("    public static final String S").append(k).append(" = ").append(JavaText.stringLiteral(t)).append(";\n");
            }
        }
        src.append("}\n");
        poet.append("}\n");
        for (int i = 0; i < src.length(); i++) {
            char c = src.charAt(i);
            assertTrue(c == '\n' || (c >= 0x20 && c < 0x7F), "non-ASCII or control character " + (int) c + " at " + i);
        }
        Class<?> c = InMemoryJavaCompiler.compile("gen.Hostile", src.toString());
        Class<?> p = InMemoryJavaCompiler.compile("gen.Poet", poet.toString());
        assertNull(System.getProperty("nnc.injected"), "a payload in a comment ran");
        Map<String, Object> fields = new HashMap<>();
        for (Field f : c.getDeclaredFields()) {
            assertTrue(Modifier.isStatic(f.getModifiers()), f.getName());
            fields.put(f.getName(), f.get(null));
        }
        int literals = 0;
        for (int k = 0; k < texts.size(); k++) {
            if (texts.get(k).length() >= 60_000) continue;
            assertEquals(texts.get(k), fields.get("S" + k), "JavaText.stringLiteral of text " + k);
            literals++;
        }
        assertEquals(literals, fields.size(), "only the declared constants: " + fields.keySet());
        for (int k = 0; k < texts.size(); k++) {
            if (texts.get(k).length() >= 60_000 || poetBreaks(texts.get(k))) continue;
            assertEquals(texts.get(k), p.getField("P" + k).get(null), "JavaPoet $S of text " + k);
        }
    }

    /** Texts JavaPoet's {@code $S} cannot write: U+2028/U+2029 (written as a raw line feed), lone surrogates (written raw). */
    private static boolean poetBreaks(String s) {
        return s.contains("\u2028") || s.contains("\u2029") || hasLoneSurrogate(s);
    }

    @Test
    void javaPoetsDollarSDoublesBackslashesButBreaksOnLineSeparators() throws Exception {
        String injection = "\\u0022 + System.setProperty(\"nnc.injected\", \"poet\") + \\u0022";
        assertEquals("\"\\\\u0022 + System.setProperty(\\\"nnc.injected\\\", \\\"poet\\\") + \\\\u0022\"", CodeBlock.of("$S", injection).toString());
        Class<?> c = InMemoryJavaCompiler.compile("gen.Dollar", "package gen; public final class Dollar { public static final String S = "
                + CodeBlock.of("$S", injection) + "; }");
        assertEquals(injection, c.getField("S").get(null));
        assertNull(System.getProperty("nnc.injected"));
        assertEquals("\"a\nb\"", CodeBlock.of("$S", "a\u2028b").toString(), "why JavaText.stringLiteral writes the generated constants");
        assertEquals("\"a\\u2028b\"", JavaText.stringLiteral("a\u2028b"));
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) return true;
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) return true;
        }
        return false;
    }

    private static void assertSafeComment(String escaped, String original) {
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            assertTrue(c >= 0x20 && c < 0x7F, "character " + (int) c + " in the comment form of " + original);
        }
        assertFalse(escaped.contains("\\u"), escaped);
        assertFalse(escaped.contains("*/"), escaped);
        assertFalse(escaped.contains("/*"), escaped);
        assertFalse(escaped.endsWith("*"), escaped);
        assertFalse(escaped.startsWith("/"), escaped);
    }

    @Test
    void commentsWriteWhatTheyHideVisibly() {
        assertEquals("U+005Cu002aU+005Cu002f static", JavaText.comment("\\u002a\\u002f static"));
        assertEquals("a* / / *b U+000AU+000DU+2028U+2029U+0085U+0000 U+00E9U+1F600U+D800", JavaText.comment("a*/ /*b \n\r\u2028\u2029\u0085\0 é\uD83D\uDE00\uD800"));
        assertEquals("line one\nline two U+000D", JavaText.javadoc("line one\nline two \r"));
        assertEquals("C:\\dir\\x.nn", JavaText.comment("C:\\dir\\x.nn"), "a backslash before anything but u stays");
        assertEquals("\"a\\\"b\\\\u002a\\n\\u2028\\u0000\\ud83d\\ude00\"", JavaText.stringLiteral("a\"b\\u002a\n\u2028\0\uD83D\uDE00"));
    }

    @Test
    void identifiersAreValidShortAndDeterministic() {
        assertEquals("Playground", JavaText.identifier("Playground"));
        assertEquals("class_", JavaText.identifier("class"));
        assertEquals("int_", JavaText.identifier("int"));
        assertEquals("var_", JavaText.identifier("var"));
        assertEquals("record_", JavaText.identifier("record"));
        assertEquals("__", JavaText.identifier("_"));
        assertEquals("true_", JavaText.identifier("true"));
        assertEquals("a_b_" + JavaText.hash("a.b"), JavaText.identifier("a.b"));
        String long1 = "x".repeat(70_000), long2 = "x".repeat(69_999) + "y";
        assertEquals(JavaText.MAX_IDENTIFIER, JavaText.identifier(long1).length());
        assertTrue(JavaText.identifier(long1).startsWith("x".repeat(55) + "_"));
        assertNotEquals(JavaText.identifier(long1), JavaText.identifier(long2));
        assertEquals(JavaText.identifier(long1), JavaText.identifier("x".repeat(70_000)));
        Random r = new Random(7);
        for (int k = 0; k < 2000; k++) {
            String name = k % 3 == 0 ? hostile(r) : k % 3 == 1 ? randomKeywordish(r) : "";
            String id = JavaText.identifier(name);
            assertTrue(SourceVersion.isIdentifier(id) && !SourceVersion.isKeyword(id, SourceVersion.latest()), name + " -> " + id);
            assertFalse(List.of("var", "yield", "record", "sealed", "permits", "_").contains(id), id);
            assertTrue(id.length() <= JavaText.MAX_IDENTIFIER, id);
            for (int i = 0; i < id.length(); i++) assertTrue(id.charAt(i) < 0x80, id);
        }
    }

    private static String randomKeywordish(Random r) {
        List<String> words = List.of("class", "int", "var", "_", "record", "enum", "goto", "const", "null", "non-sealed", "yield", "a", "9lives");
        return words.get(r.nextInt(words.size())) + (r.nextBoolean() ? "" : words.get(r.nextInt(words.size())));
    }

    @Test
    void sourceFileNamesFitAClassFile() {
        assertEquals("model.nn", NameLimits.sourceFileName("model.nn"));
        assertEquals(NameLimits.MAX_SOURCE_FILE, NameLimits.sourceFileName("y".repeat(70_000)).length());
        String pairs = "\uD83D\uDE00".repeat(200); // a cut between the halves of a pair drops the pair
        assertEquals(254, NameLimits.sourceFileName(pairs).length());
    }
}
