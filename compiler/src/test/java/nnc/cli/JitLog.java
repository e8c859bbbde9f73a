package nnc.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * C2's inlining decisions about one class's methods, read from HotSpot's compilation log ({@code
 * -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=FILE}): one XML element per decision,
 * written per compiler thread and merged when the JVM exits, so, unlike {@code -XX:+PrintInlining}'s
 * lines, never interleaved. C1's tasks (those with a tier {@code level}) are skipped.
 *
 * @param forced   calls of the class's methods inlined by a {@code CompileCommand}, as {@code name}
 * @param refused  every refused inlining of one of the class's methods, while C2 parses or after
 *                 (a delayed call), and every delayed call refused inside one of them (a Vector API
 *                 operation left out of line there boxes its vectors just the same), as
 *                 {@code name: reason}
 */
record JitLog(List<String> forced, List<String> refused) {
    private static final Pattern TASK = Pattern.compile("<task (.*?)</task>", Pattern.DOTALL);
    private static final Pattern KLASS = Pattern.compile("<klass id='(\\d+)' name='([^']*)'");
    private static final Pattern METHOD = Pattern.compile("<method id='(\\d+)' holder='(\\d+)' name='([^']*)'");
    /** A call's decision: the call, then (after elements such as a profile's) its outcome. */
    private static final Pattern CALL = Pattern.compile(
            "<call method='(\\d+)'[^>]*>((?:\\s*<(?!call |inline_fail|inline_success)[^>]*>)*)\\s*<(inline_fail|inline_success) reason='([^']*)'");
    /** A delayed call refused after the parse: the reason, then the call and the chain of methods it stands in. */
    private static final Pattern LATE = Pattern.compile("<inline_fail reason='([^']*)'/>\\s*<late_inline method='(\\d+)'[^>]*>((?:\\s*<jvms [^>]*>)*)");
    private static final Pattern JVMS = Pattern.compile("method='(\\d+)'");

    /** The decisions in {@code log} about the methods of class {@code holder} (its binary name). */
    static JitLog of(String log, String holder) {
        List<String> forced = new ArrayList<>(), refused = new ArrayList<>();
        Matcher task = TASK.matcher(log);
        while (task.find()) {
            String t = task.group(1);
            if (t.substring(0, t.indexOf('>')).contains(" level='")) continue; // C1
            Map<String, String> klasses = new HashMap<>(), names = new HashMap<>();
            for (Matcher k = KLASS.matcher(t); k.find(); ) klasses.put(k.group(1), k.group(2));
            List<String> ours = new ArrayList<>();
            for (Matcher m = METHOD.matcher(t); m.find(); ) {
                names.put(m.group(1), m.group(3));
                if (holder.equals(klasses.get(m.group(2)))) ours.add(m.group(1));
            }
            for (Matcher c = CALL.matcher(t); c.find(); ) {
                if (!ours.contains(c.group(1))) continue;
                String name = names.get(c.group(1)), reason = c.group(4);
                if (c.group(3).equals("inline_fail")) refused.add(name + ": " + reason);
                else if (reason.contains("CompileCommand")) forced.add(name);
            }
            for (Matcher l = LATE.matcher(t); l.find(); ) {
                boolean inside = ours.contains(l.group(2));
                for (Matcher j = JVMS.matcher(l.group(3)); j.find(); ) inside |= ours.contains(j.group(1));
                if (inside) refused.add(names.get(l.group(2)) + ": " + l.group(1).replace("&gt;", ">"));
            }
        }
        return new JitLog(forced, refused);
    }
}
