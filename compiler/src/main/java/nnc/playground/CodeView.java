package nnc.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.train.Json;

/**
 * The "generated code" view: the Java source {@code nnc compile --emit java} writes for a model,
 * and each kernel method in it with the {@code .nn} line it comes from and its role (forward,
 * backward or the optimiser's update), read from the javadoc the emitter writes above each kernel.
 */
final class CodeView {
    private static final Pattern KERNEL = Pattern.compile(
            "/\\*\\*\\n((?:\\s*\\*.*\\n)*?)\\s*\\*/\\n\\s*private static void (\\w+)\\(");
    private static final Pattern FROM = Pattern.compile("\\*\\s*from \\S+?:(\\d+)");
    private static final Pattern TEMP = Pattern.compile("[\\w.]+_\\d+");

    private CodeView() {}

    /** One kernel method: its name, the {@code .nn} line (0 when the emitter names none) and its role. */
    record Kernel(String name, int line, String role) {
        Json json() { return Json.object().put("name", name).put("line", line).put("role", role); }
    }

    /** The answer of {@code /api/code}. */
    static Json of(Compilation c) {
        String java = c.javaSource(Backend.GENERATED_PACKAGE, true);
        return Json.object().put("java", java).put("kernels", kernels(java).stream().map(Kernel::json).toList());
    }

    /** The kernel methods of a generated source, in source order. */
    static List<Kernel> kernels(String java) {
        List<Kernel> out = new ArrayList<>();
        Matcher m = KERNEL.matcher(java);
        while (m.find()) {
            String doc = m.group(1), name = m.group(2);
            Matcher from = FROM.matcher(doc);
            if (!from.find()) continue;
            out.add(new Kernel(name, Integer.parseInt(from.group(1)), name.startsWith("train") ? role(doc) : "forward"));
        }
        return out;
    }

    /** A train kernel's role from what its first line writes: a gradient {@code d_…}, another temporary, or a parameter or optimiser state. */
    private static String role(String doc) {
        String first = doc.strip().replaceFirst("^\\*\\s*", "");
        int eq = first.indexOf(" = ");
        String written = eq < 0 ? first : first.substring(0, eq).strip();
        if (written.startsWith("d_")) return "backward";
        return TEMP.matcher(written).matches() ? "forward" : "update";
    }
}
