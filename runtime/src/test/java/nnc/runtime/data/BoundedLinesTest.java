package nnc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {
    private static List<String> lines(String text) throws IOException {
        BoundedLines in = new BoundedLines(new StringReader(text), Path.of("t.csv"), "");
        List<String> out = new ArrayList<>();
        for (String l; (l = in.next()) != null; ) out.add(l + "@" + in.lineNo());
        return out;
    }

    @Test
    void splitsAtEveryKindOfLineEnd() throws IOException {
        assertEquals(List.of("a@1", "b@2", "@3", "c@4", "d@5"), lines("a\r\nb\n\nc\rd"));
        assertEquals(List.of("a@1"), lines("a\r\n"));
        assertEquals(List.of("a@1", "@2"), lines("a\r\r"));
        assertEquals(List.of(), lines(""));
        String longLine = "x".repeat(200_000);
        assertEquals(List.of(longLine + "@1", "y@2"), lines(longLine + "\ny"));
    }
}
