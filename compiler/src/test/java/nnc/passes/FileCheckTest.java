package nnc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The golden tests' {@link FileCheck}: each directive kind passes where it should and fails where it should not. */
class FileCheckTest {
    static final String OUT = "a one\nb two\nc three\n";

    static List<String> run(String checks) { return FileCheck.check(FileCheck.directives(checks), OUT); }

    @Test
    void checkMatchesInOrder() {
        assertEquals(List.of(), run("// CHECK: one\n// CHECK: three\n"));
        assertTrue(run("// CHECK: three\n// CHECK: one\n").get(0).contains("CHECK: one not found"));
    }

    @Test
    void checkNextMatchesOnlyTheLineRightAfter() {
        assertEquals(List.of(), run("// CHECK: one\n// CHECK-NEXT: two\n// CHECK-NEXT: three\n"));
        assertTrue(run("// CHECK: one\n// CHECK-NEXT: three\n").get(0).contains("CHECK-NEXT: three is not output line 2: b two"));
        assertTrue(run("// CHECK-NEXT: one\n").get(0).contains("without a CHECK before it"));
        assertTrue(run("// CHECK: three\n// CHECK-NEXT: one\n").get(0).contains("(the end)"));
    }

    @Test
    void checkNotLooksBetweenItsNeighbours() {
        assertEquals(List.of(), run("// CHECK: one\n// CHECK-NOT: one\n// CHECK: three\n"));
        assertEquals(1, run("// CHECK: one\n// CHECK-NOT: two\n// CHECK: three\n").size());
        assertEquals(1, run("// CHECK: one\n// CHECK-NOT: three\n").size());
    }
}
