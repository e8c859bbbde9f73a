package nnc.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nnc.runtime.DType;
import nnc.runtime.Init;
import nnc.runtime.Role;
import nnc.types.Dim;
import nnc.types.Shape;
import nnc.types.TensorType;

/**
 * Reads the text form {@link GraphPrinter} writes back into a module, so that {@code .nnir} files
 * can be the inputs of golden tests. Text from {@code //} to the end of a line (the printer's labels) and blank lines are ignored.
 * Node ids name nodes across the graphs of a file (one pool); the nodes are rebuilt in id order
 * through a {@link GraphBuilder}, which re-infers and checks each declared type. Missing
 * {@code evaluate}/{@code predict} graphs are empty; parameters (whose initialiser is not printed)
 * start at zero.
 */
public final class GraphParser {
    /** A malformed line: the message names the line number. */
    public static final class ParseException extends RuntimeException {
        ParseException(int line, String message) { super("line " + line + ": " + message); }
    }

    private record Def(int line, String mnemonic, String attrs, List<String> operands, TensorType type) {}

    private final Map<Integer, Def> defs = new TreeMap<>();
    /** Labels written after a definition ({@code %10 = add %9, %5 : f32[batch,1]  // z}). */
    private final Map<Integer, String> labels = new HashMap<>();
    private final Map<String, Map<String, Integer>> outputs = new LinkedHashMap<>(), updates = new LinkedHashMap<>();

    /** A loop block: {@code loop ID (T steps[, reverse]) { … carries %a  steps[user=U] %b, … }}. */
    private static final class LoopDecl {
        final int line, steps;
        final boolean reverse;
        List<String> carries = List.of(), stepResults = List.of();
        int userSteps;

        LoopDecl(int line, int steps, boolean reverse) {
            this.line = line;
            this.steps = steps;
            this.reverse = reverse;
        }
    }

    /** Loops by their id in the text. */
    private final Map<Integer, LoopDecl> loops = new HashMap<>();
    /** Each loop's body (its id kept, and reserved so that loops made later get other ids). */
    private final Map<Integer, ScanBody> bodies = new HashMap<>();

    private GraphParser() {}

    /** Parses {@code text} as module {@code name}, with loss output {@code loss}. */
    public static IrModule parse(String name, String text) { return new GraphParser().read(name, text); }

    private IrModule read(String name, String text) {
        String graph = null;
        LoopDecl loop = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int ln = i + 1;
            String line = lines[i].strip();
            int comment = line.indexOf("//");
            String label = null;
            if (comment >= 0) {
                label = line.substring(comment + 2).strip();
                line = line.substring(0, comment).strip();
            }
            if (line.isEmpty()) continue;
            if (graph == null) {
                if (!line.startsWith("graph ") || !line.endsWith("{")) throw new ParseException(ln, "expected 'graph NAME {', got '" + line + "'");
                graph = line.substring(6, line.length() - 1).strip();
                if (!List.of("train", "evaluate", "predict").contains(graph)) throw new ParseException(ln, "unknown graph '" + graph + "' (train, evaluate, predict)");
                if (outputs.containsKey(graph)) throw new ParseException(ln, "graph " + graph + " appears twice");
                outputs.put(graph, new LinkedHashMap<>());
                updates.put(graph, new LinkedHashMap<>());
            } else if (line.startsWith("loop ") && line.endsWith("{") && loop == null) {
                Matcher m = Pattern.compile("loop (\\d+) \\((\\d+) steps(, reverse)?\\) \\{").matcher(line);
                if (!m.matches()) throw new ParseException(ln, "expected 'loop ID (N steps[, reverse]) {', got '" + line + "'");
                loop = new LoopDecl(ln, Integer.parseInt(m.group(2)), m.group(3) != null);
                loops.putIfAbsent(Integer.parseInt(m.group(1)), loop); // printed again in each graph that runs it
            } else if (loop != null && line.startsWith("carries")) {
                loop.carries = refs(line.substring(7));
            } else if (loop != null && line.startsWith("steps[user=")) {
                int close = line.indexOf(']');
                loop.userSteps = Integer.parseInt(line.substring(11, close));
                loop.stepResults = refs(line.substring(close + 1));
            } else if (line.equals("}") && loop != null) {
                loop = null;
            } else if (line.equals("}")) {
                graph = null;
            } else if (line.startsWith("output ") || line.startsWith("update ")) {
                String[] kv = line.substring(7).split("=", 2);
                if (kv.length != 2) throw new ParseException(ln, "expected 'output NAME = %ID'");
                (line.startsWith("output") ? outputs : updates).get(graph).put(kv[0].strip(), ref(ln, kv[1].strip()));
            } else if (line.startsWith("%")) {
                int id = definition(ln, line);
                if (label != null && !label.isEmpty()) labels.put(id, label);
            } else {
                throw new ParseException(ln, "cannot read '" + line + "'");
            }
        }
        if (graph != null) throw new ParseException(lines.length, "graph " + graph + " is not closed with '}'");
        if (!outputs.containsKey("train")) throw new ParseException(1, "no 'graph train'");
        Map<Integer, Node> nodes = build();
        Map<Node, String> byNode = new IdentityHashMap<>();
        labels.forEach((id, label) -> byNode.putIfAbsent(nodes.get(id), label));
        return new IrModule(name, graph("train", nodes), graph("evaluate", nodes), graph("predict", nodes), IrModule.LOSS, List.of(), byNode);
    }

    private Graph graph(String name, Map<Integer, Node> nodes) {
        Map<String, Node> outs = new LinkedHashMap<>(), ups = new LinkedHashMap<>();
        outputs.getOrDefault(name, Map.of()).forEach((k, id) -> outs.put(k, nodes.get(id)));
        updates.getOrDefault(name, Map.of()).forEach((k, id) -> ups.put(k, nodes.get(id)));
        return new Graph(name, outs, ups);
    }

    private static List<String> refs(String s) {
        List<String> out = new ArrayList<>();
        for (String t : s.strip().split("[\\s,]+")) if (!t.isEmpty()) out.add(t);
        return out;
    }

    /** The body of loop {@code id} of the text, from its nodes (all built before any of its outputs). */
    private ScanBody body(int ln, int id, Map<Integer, Node> nodes) {
        ScanBody done = bodies.get(id);
        if (done != null) return done;
        LoopDecl l = loops.get(id);
        if (l == null) throw new ParseException(ln, "loop " + id + " has no 'loop " + id + " (...) {' block");
        int fresh = freshId(id);
        TreeMap<Integer, Node> carries = new TreeMap<>(), slices = new TreeMap<>();
        for (Node n : nodes.values())
            if (n.op() instanceof Op.LoopVar v && v.loop() == fresh) (v.slice() ? slices : carries).put(v.index(), n);
        ScanBody body = new ScanBody(fresh, l.steps, l.reverse, List.copyOf(carries.values()), List.copyOf(slices.values()),
                resolve(l.line, l.carries, nodes), resolve(l.line, l.stepResults, nodes), l.userSteps);
        bodies.put(id, body);
        return body;
    }

    private static int freshId(int id) {
        ScanBody.reserveLoopId(id);
        return id;
    }

    private List<Node> resolve(int ln, List<String> refs, Map<Integer, Node> nodes) {
        List<Node> out = new ArrayList<>();
        for (String r : refs) {
            Node n = nodes.get(ref(ln, r));
            if (n == null) throw new ParseException(ln, r + " is not defined before its loop's outputs");
            out.add(n);
        }
        return out;
    }

    private int ref(int ln, String s) {
        if (!s.matches("%\\d+")) throw new ParseException(ln, "expected a node reference such as %3, got '" + s + "'");
        int id = Integer.parseInt(s.substring(1));
        return id;
    }

    /** {@code %ID = MNEMONIC[ATTRS] OPERANDS : TYPE} */
    private int definition(int ln, String line) {
        int eq = line.indexOf(" = ");
        int colon = line.lastIndexOf(" : ");
        if (eq < 0 || colon < eq) throw new ParseException(ln, "expected '%ID = op ... : TYPE'");
        int id = ref(ln, line.substring(0, eq).strip());
        String rest = line.substring(eq + 3, colon).strip();
        int m = 0;
        while (m < rest.length() && (Character.isLetterOrDigit(rest.charAt(m)) || rest.charAt(m) == '_')) m++;
        String mnemonic = rest.substring(0, m);
        String attrs = "";
        int p = m;
        if (p < rest.length() && rest.charAt(p) == '[') {
            int depth = 0;
            for (; p < rest.length(); p++) {
                if (rest.charAt(p) == '[') depth++;
                else if (rest.charAt(p) == ']' && --depth == 0) break;
            }
            if (depth != 0) throw new ParseException(ln, "unbalanced '[' in '" + rest + "'");
            attrs = rest.substring(m + 1, p);
            p++;
        }
        List<String> operands = new ArrayList<>();
        for (String t : rest.substring(p).split("[\\s,]+")) if (!t.isEmpty()) operands.add(t);
        Def d = new Def(ln, mnemonic, attrs, operands, type(ln, line.substring(colon + 3).strip()));
        Def prev = defs.put(id, d);
        if (prev != null && !(prev.mnemonic().equals(d.mnemonic()) && prev.attrs().equals(d.attrs())
                && prev.operands().equals(d.operands()) && prev.type().equals(d.type())))
            throw new ParseException(ln, "%" + id + " is defined differently on line " + prev.line());
        return id;
    }

    private Map<Integer, Node> build() {
        GraphBuilder b = new GraphBuilder();
        Map<Integer, Node> nodes = new HashMap<>();
        for (var e : defs.entrySet()) {
            Def d = e.getValue();
            Op op = d.mnemonic().equals("scan")
                    ? new Op.Scan(body(d.line(), Integer.parseInt(attr(d, "loop")), nodes), Integer.parseInt(attr(d, "out")))
                    : op(d);
            List<Node> inputs = new ArrayList<>();
            boolean leaf = op.fusionKind() == FusionKind.LEAF;
            for (String s : leaf ? List.<String>of() : d.operands()) {
                Node in = nodes.get(ref(d.line(), s));
                if (in == null) throw new ParseException(d.line(), s + " is used before it is defined");
                inputs.add(in);
            }
            Node n;
            try {
                n = b.node(op, inputs);
            } catch (IllegalStateException ex) {
                throw new ParseException(d.line(), ex.getMessage());
            }
            if (!n.type().equals(d.type())) throw new ParseException(d.line(), "declared " + d.type() + " but the op gives " + n.type());
            nodes.put(e.getKey(), n);
        }
        for (var g : List.of(outputs, updates))
            for (var entry : g.values()) for (int id : entry.values()) if (!nodes.containsKey(id)) throw new ParseException(1, "%" + id + " is never defined");
        return nodes;
    }

    private Op op(Def d) {
        String a = d.attrs();
        String operand = d.operands().isEmpty() ? null : d.operands().get(0);
        for (UnaryFn f : UnaryFn.values()) if (f.text().equals(d.mnemonic())) return new Op.Unary(f);
        for (BinaryFn f : BinaryFn.values()) if (f.text().equals(d.mnemonic())) return new Op.Binary(f);
        for (ReduceFn f : ReduceFn.values())
            if (("reduce_" + f.text()).equals(d.mnemonic())) {
                if (!a.startsWith("axes=")) throw new ParseException(d.line(), "expected [axes=...]");
                List<Integer> axes = new ArrayList<>();
                boolean keep = false, shift = false;
                for (String s : a.substring(5).split(",")) {
                    if (s.equals("keep")) keep = true;
                    else if (s.equals("shift")) shift = true;
                    else axes.add(Integer.parseInt(s));
                }
                return new Op.Reduce(f, axes, keep, shift);
            }
        return switch (d.mnemonic()) {
            case "input" -> new Op.Input(name(d, operand), Role.INPUT, d.type());
            case "target" -> new Op.Input(name(d, operand), Role.TARGET, d.type());
            case "param" -> new Op.Param(name(d, operand), d.type(), new Init.Constant(0));
            case "state" -> new Op.State(name(d, operand), d.type());
            case "const" -> {
                try {
                    yield new Op.Constant(Double.parseDouble(name(d, operand)));
                } catch (NumberFormatException e) {
                    throw new ParseException(d.line(), "bad constant '" + operand + "'");
                }
            }
            case "dimsize" -> new Op.DimSize(name(d, operand));
            case "matmul" -> new Op.MatMul(a.contains("ta"), a.contains("tb"));
            case "broadcast" -> new Op.Broadcast(shape(d.line(), after(d, "to=")));
            case "reshape" -> new Op.Reshape(shape(d.line(), after(d, "to=")));
            case "one_hot" -> new Op.OneHot(Long.parseLong(after(d, "classes=")));
            case "where" -> new Op.Where();
            case "iota" -> new Op.Iota(d.type().shape(), Integer.parseInt(after(d, "axis=")));
            case "transpose" -> {
                List<Integer> perm = new ArrayList<>();
                for (String s : after(d, "perm=").split(",")) perm.add(Integer.parseInt(s.strip()));
                yield new Op.Transpose(perm);
            }
            case "slice" -> slice(d);
            case "pad" -> pad(d);
            // convolution and pooling, e.g. conv2d[k=5,s=1,p=2,in=28x28]
            case "conv2d", "conv2d_grad_input", "conv2d_grad_weight", "max_pool2d", "avg_pool2d", "max_pool2d_grad", "avg_pool2d_grad" -> spatial(d);
            // gather %table, %indices and scatter_add[rows=V] %values, %indices
            case "loop_carry", "loop_slice" -> new Op.LoopVar(freshId(Integer.parseInt(attr(d, "loop"))), d.mnemonic().equals("loop_slice"),
                    Integer.parseInt(attr(d, "index")), d.type());
            case "gather" -> new Op.Gather();
            case "scatter_add" -> new Op.ScatterAdd(Long.parseLong(after(d, "rows=")));
            default -> throw new ParseException(d.line(), "unknown op '" + d.mnemonic() + "'");
        };
    }

    /** {@code :,1:5:1}: per axis whole, or start:stop:step. */
    private static Op.Slice slice(Def d) {
        List<Long> start = new ArrayList<>(), stop = new ArrayList<>(), step = new ArrayList<>();
        try {
            for (String part : d.attrs().split(",")) {
                String t = part.strip();
                if (t.equals(":")) {
                    start.add(0L);
                    stop.add(-1L);
                    step.add(1L);
                    continue;
                }
                String[] p = t.split(":");
                if (p.length == 1) { // an index
                    start.add(Long.parseLong(p[0]));
                    stop.add(Long.parseLong(p[0]) + 1);
                    step.add(0L);
                    continue;
                }
                start.add(Long.parseLong(p[0]));
                stop.add(Long.parseLong(p[1]));
                step.add(Long.parseLong(p[2]));
            }
            return new Op.Slice(start, stop, step);
        } catch (RuntimeException e) {
            throw new ParseException(d.line(), "expected [START:STOP:STEP, INDEX or : per axis], got '" + d.attrs() + "'");
        }
    }

    /** {@code 0:0,1:2}: per axis the zeros before and after. */
    private static Op.Pad pad(Def d) {
        List<Long> before = new ArrayList<>(), after = new ArrayList<>();
        try {
            for (String part : d.attrs().split(",")) {
                String[] p = part.strip().split(":");
                before.add(Long.parseLong(p[0]));
                after.add(Long.parseLong(p[1]));
            }
            return new Op.Pad(before, after);
        } catch (RuntimeException e) {
            throw new ParseException(d.line(), "expected [BEFORE:AFTER per axis], got '" + d.attrs() + "'");
        }
    }

    private static String name(Def d, String operand) {
        if (operand == null) throw new ParseException(d.line(), d.mnemonic() + " needs a name or value");
        return operand;
    }

    /** {@code 5} as (5, 5), {@code 3x5} as (3, 5). */
    private static int[] pair(String text) {
        String[] v = text.split("x");
        if (v.length > 2) throw new IllegalArgumentException(text);
        return new int[] {Integer.parseInt(v[0]), Integer.parseInt(v[v.length - 1])};
    }

    /** {@code k=5,s=1,p=2,in=28x28}; a non-square window {@code k=3x5,s=1x2,p=1x0}; dilation and groups {@code d=2,g=4}. */
    private static Op.Spatial spatial(Def d) {
        Map<String, String> kv = new HashMap<>();
        for (String part : d.attrs().split(",")) {
            String[] p = part.strip().split("=", 2);
            if (p.length == 2) kv.put(p[0], p[1]);
        }
        try {
            String[] in = kv.get("in").split("x");
            int[] k = pair(kv.get("k")), s = pair(kv.get("s")), p = pair(kv.get("p")), dil = pair(kv.getOrDefault("d", "1"));
            int groups = Integer.parseInt(kv.getOrDefault("g", "1"));
            return new Op.Spatial(SpatialFn.ofText(d.mnemonic()), k[0], k[1], s[0], s[1], p[0], p[1], dil[0], dil[1], groups,
                    Integer.parseInt(in[0]), Integer.parseInt(in[1]));
        } catch (RuntimeException e) {
            throw new ParseException(d.line(), "expected [k=K,s=S,p=P,in=HxW], got '" + d.attrs() + "'");
        }
    }

    /** The value of {@code key} in attributes {@code k1=v1,k2=v2}. */
    private static String attr(Def d, String key) {
        for (String kv : d.attrs().split(","))
            if (kv.startsWith(key + "=")) return kv.substring(key.length() + 1);
        throw new ParseException(d.line(), "expected " + key + "=... in [" + d.attrs() + "]");
    }

    private static String after(Def d, String key) {
        if (!d.attrs().startsWith(key)) throw new ParseException(d.line(), "expected [" + key + "...]");
        return d.attrs().substring(key.length());
    }

    /** {@code f32[batch,3]} */
    static TensorType type(int ln, String s) {
        int br = s.indexOf('[');
        if (br < 0) throw new ParseException(ln, "expected a type such as f32[batch,3], got '" + s + "'");
        DType dt;
        try {
            dt = DType.valueOf(s.substring(0, br).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParseException(ln, "unknown element type '" + s.substring(0, br) + "'");
        }
        return new TensorType(dt, shape(ln, s.substring(br)));
    }

    /** {@code [batch,3]} */
    static Shape shape(int ln, String s) {
        if (!s.startsWith("[") || !s.endsWith("]")) throw new ParseException(ln, "expected a shape such as [batch,3], got '" + s + "'");
        String body = s.substring(1, s.length() - 1).strip();
        List<Dim> dims = new ArrayList<>();
        if (!body.isEmpty())
            for (String t : body.split(",")) {
                t = t.strip();
                dims.add(t.matches("\\d+") ? Dim.of(Long.parseLong(t))
                        : t.matches("\\d+\\*\\w+") ? Dim.times(Dim.of(Long.parseLong(t.substring(0, t.indexOf('*')))), new Dim.Sym(t.substring(t.indexOf('*') + 1)))
                        : new Dim.Sym(t));
            }
        return new Shape(dims);
    }
}
