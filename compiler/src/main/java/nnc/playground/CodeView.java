package nnc.playground;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.driver.Backend;
import nnc.driver.Compilation;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.train.Json;

/**
 * The "generated code" view: the Java source {@code nnc compile --emit java} writes for a model,
 * and each kernel method in it with the {@code .nn} line it comes from and its role (forward,
 * backward or the optimiser's update), read from the javadoc the emitter writes above each kernel:
 * a kernel whose first line writes a gradient {@code d_…} is backward, one that writes a parameter
 * or optimiser state is the update, any other (activations, the loss, temporaries) forward.
 */
final class CodeView {
    private static final Pattern KERNEL = Pattern.compile(
            "/\\*\\*\\n((?:\\s*\\*.*\\n)*?)\\s*\\*/\\n\\s*private static void (\\w+)\\(");
    private static final Pattern FROM = Pattern.compile("\\*\\s*from \\S+?:(\\d+)");

    private CodeView() {}

    /** One kernel method: its name, the {@code .nn} line (0 when the emitter names none) and its role. */
    record Kernel(String name, int line, String role) {
        Json json() { return Json.object().put("name", name).put("line", line).put("role", role); }
    }

    /** The answer of {@code /api/code}. */
    static Json of(Compilation c) {
        String java = c.javaSource(Backend.GENERATED_PACKAGE, true);
        Set<String> written = c.optimized().info().tensors().stream()
                .filter(t -> t.role() == Role.PARAM || t.role() == Role.STATE).map(TensorSpec::name).collect(Collectors.toSet());
        return Json.object().put("java", java).put("kernels", kernels(java, written).stream().map(Kernel::json).toList());
    }

    /** The kernel methods of a generated source, in source order; {@code state}: the model's parameters and state tensors. */
    static List<Kernel> kernels(String java, Set<String> state) {
        List<Kernel> out = new ArrayList<>();
        Matcher m = KERNEL.matcher(java);
        while (m.find()) {
            String doc = m.group(1), name = m.group(2);
            Matcher from = FROM.matcher(doc);
            if (!from.find()) continue;
            out.add(new Kernel(name, Integer.parseInt(from.group(1)), name.startsWith("train") ? role(doc, state) : "forward"));
        }
        return out;
    }

    /** A train kernel's role from what its first line writes: a gradient {@code d_…}, a parameter or optimiser state, or another value. */
    private static String role(String doc, Set<String> state) {
        String first = doc.strip().replaceFirst("^\\*\\s*", "");
        int eq = first.indexOf(" = ");
        String written = eq < 0 ? first : first.substring(0, eq).strip();
        if (written.startsWith("d_")) return "backward";
        return state.contains(written) ? "update" : "forward";
    }
}
