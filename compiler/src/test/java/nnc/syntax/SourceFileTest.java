package nnc.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import nnc.diag.SourceFile;
import org.junit.jupiter.api.Test;

/** Quoting a diagnostic's line must not split the whole file again: a 1 MiB source with 70,000 warnings took over 120 s. */
class SourceFileTest {
    @Test
    void linesAreSplitOnce() {
        SourceFile f = new SourceFile("m.nn", "a\nb\r\nc");
        assertSame(f.lines(), f.lines());
        assertEquals("b", f.line(2));
        assertEquals("", f.line(4));
        assertEquals(new SourceFile("m.nn", "a\nb\r\nc"), f);
    }
}
