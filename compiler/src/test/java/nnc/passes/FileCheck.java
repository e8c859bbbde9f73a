package nnc.passes;

import java.util.ArrayList;
import java.util.List;

/**
 * A small FileCheck: {@code // CHECK: text} lines must match lines of the output in order (as
 * substrings, each on a later line than the previous match); {@code // CHECK-NEXT: text} must match
 * the line right after the previous match; {@code // CHECK-NOT: text} must not occur between the
 * previous match and the next one (or the end). Returns the failures. Shared by the Graph IR's and
 * the Kernel IR's golden tests.
 */
public final class FileCheck {
    private FileCheck() {}

    public record Directive(boolean not, boolean next, String text, int line) {}

    public static List<Directive> directives(String source) {
        List<Directive> out = new ArrayList<>();
        String[] lines = source.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("// CHECK:")) out.add(new Directive(false, false, l.substring(9).strip(), i + 1));
            else if (l.startsWith("// CHECK-NEXT:")) out.add(new Directive(false, true, l.substring(14).strip(), i + 1));
            else if (l.startsWith("// CHECK-NOT:")) out.add(new Directive(true, false, l.substring(13).strip(), i + 1));
        }
        return out;
    }

    public static List<String> check(List<Directive> directives, String output) {
        List<String> failures = new ArrayList<>();
        String[] lines = output.split("\n");
        int pos = 0; // first line the next CHECK may match
        List<Directive> pendingNot = new ArrayList<>();
        for (Directive d : directives) {
            if (d.not()) { pendingNot.add(d); continue; }
            int found = -1;
            if (d.next()) {
                if (pos == 0) {
                    failures.add("line " + d.line() + ": CHECK-NEXT: without a CHECK before it");
                    return failures;
                }
                if (pos < lines.length && lines[pos].contains(d.text())) found = pos;
                if (found < 0) {
                    failures.add("line " + d.line() + ": CHECK-NEXT: " + d.text() + " is not output line " + (pos + 1)
                            + (pos < lines.length ? ": " + lines[pos].strip() : " (the end)"));
                    return failures;
                }
            }
            for (int i = pos; i < lines.length && found < 0; i++) if (lines[i].contains(d.text())) found = i;
            if (found < 0) {
                failures.add("line " + d.line() + ": CHECK: " + d.text() + " not found after output line " + pos);
                return failures;
            }
            checkNots(pendingNot, lines, pos, found, failures);
            pendingNot.clear();
            pos = found + 1;
        }
        checkNots(pendingNot, lines, pos, lines.length, failures);
        return failures;
    }

    private static void checkNots(List<Directive> nots, String[] lines, int from, int to, List<String> failures) {
        for (Directive n : nots)
            for (int i = from; i < to; i++)
                if (lines[i].contains(n.text())) failures.add("line " + n.line() + ": CHECK-NOT: " + n.text() + " found: " + lines[i].strip());
    }
}
