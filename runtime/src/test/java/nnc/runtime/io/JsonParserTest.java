package nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonParserTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = JsonParser.parse(" {\"a\": [1, -2, 3.5, 1e3, -0.25E-1], \"b\": {\"c\": true, \"d\": false, \"e\": null}, \"s\": \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}\n");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "s"), List.copyOf(m.keySet()), "document order");
        assertEquals(List.of(1L, -2L, 3.5, 1000.0, -0.025), m.get("a"));
        Map<?, ?> b = (Map<?, ?>) m.get("b");
        assertEquals(Boolean.TRUE, b.get("c"));
        assertEquals(Boolean.FALSE, b.get("d"));
        assertSame(JsonParser.NULL, b.get("e"));
        assertEquals("x\"\\/\b\f\n\r\té\uD83D\uDE00", m.get("s"));
    }

    @Test
    void integersAreLongsUpTo64Bits() {
        assertEquals(Long.MAX_VALUE, JsonParser.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, JsonParser.parse("-9223372036854775808"));
        var e = assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse("9223372036854775808"));
        assertTrue(e.getMessage().contains("does not fit in 64 bits"), e.getMessage());
    }

    @Test
    void emptyContainersAndUnicodeKeys() {
        assertEquals(Map.of(), JsonParser.parse("{}"));
        assertEquals(List.of(), JsonParser.parse("[ ]"));
        assertEquals(Map.of("ü", List.of(List.of())), JsonParser.parse("{\"ü\":[[]]}"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``|unexpected end of input, expected a value at offset 0",
            "`{`|unexpected end of input, expected a string key at offset 1",
            "`{\"a\":1,}`|unexpected '}', expected a string key at offset 7",
            "`[1,]`|unexpected ']', expected a value at offset 3",
            "`[1 2]`|unexpected '2', expected ',' or ']' at offset 3",
            "`{\"a\" 1}`|unexpected '1', expected ':' at offset 5",
            "`{\"a\":1,\"a\":2}`|duplicate key \"a\" at offset 7",
            "`{a:1}`|unexpected 'a', expected a string key at offset 1",
            "`['a']`|unexpected ''', expected a value at offset 1",
            "`01`|number with a leading zero at offset 0",
            "`-`|expected a digit at offset 1",
            "`1.`|expected a digit after '.' at offset 2",
            "`1e`|expected a digit in the exponent at offset 2",
            "`NaN`|unexpected 'N', expected a value at offset 0",
            "`tru`|unexpected 't', expected a value at offset 0",
            "`{} {}`|unexpected '{' after the value at offset 3",
            "`\"abc`|unterminated string at offset 4",
            "`\"a\\x\"`|bad escape \\x at offset 2",
            "`\"\\u12g4\"`|bad \\u escape: \\u12g4 at offset 3",
            "`\"\\ud800\"`|string holds a lone surrogate U+D800 at offset 8",
            "`[1] // c`|unexpected '/' after the value at offset 4",
    })
    void rejectsMalformedText(String text, String message) {
        var e = assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        var e = assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse("\"a\nb\""));
        assertEquals("control character U+000A in a string (escape it) at offset 2", e.getMessage());
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String ok = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
        JsonParser.parse(ok);
        String deep = "[".repeat(JsonParser.MAX_DEPTH + 1) + "]".repeat(JsonParser.MAX_DEPTH + 1);
        var e = assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse(deep));
        assertTrue(e.getMessage().startsWith("nested deeper than 64 levels"), e.getMessage());
        assertThrows(JsonParser.JsonException.class, () -> JsonParser.parse("[".repeat(100_000)));
    }

    @Test
    void containersAreUnmodifiable() {
        Map<?, ?> m = (Map<?, ?>) JsonParser.parse("{\"a\":[1]}");
        assertThrows(UnsupportedOperationException.class, () -> m.clear());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
    }
}
