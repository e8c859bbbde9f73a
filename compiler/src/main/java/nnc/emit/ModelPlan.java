package nnc.emit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.ir.IrModule;
import nnc.kir.KernelProgram;
import nnc.runtime.parallel.SplitEntries;

/**
 * The shape of a generated class, shared by both emitters: the constants it embeds, the kernel
 * methods, and for each {@code CompiledModel} step method the kernel methods it calls. A kernel that
 * occurs in several entries (the forward pass is in train, evaluate and predict) becomes one method,
 * named after its first occurrence.
 *
 * @param methods    every kernel method once, in order of first use
 * @param sourceFile the {@code .nn} file's name for the class's {@code SourceFile} ({@code MODEL.nn} when unknown)
 * @param lines      the {@code .nn} line of each kernel method by name, where known
 * @param split      the nested classes holding chunk and kernel methods when one class file cannot hold them
 */
public record ModelPlan(String modelName, List<String> infoPieces, List<String> tablePieces,
                        List<KernelMethod> methods, List<EntryPlan> entries, String sourceFile, Map<String, Integer> lines,
                        ClassSplit split) {
    /** Kernel IR entry names, in the order their methods appear in the class. */
    public static final List<String> ENTRY_NAMES = List.of("train", "evaluate", "predict");
    /**
     * The data-parallel split's entries ({@code SplitEntries}' methods), after the three; a class
     * has them only when its program does, and then implements {@link SplitEntries}.
     */
    public static final List<String> SPLIT_NAMES = List.of(IrModule.GRADIENT, IrModule.APPLY);

    public ModelPlan {
        infoPieces = List.copyOf(infoPieces);
        tablePieces = List.copyOf(tablePieces);
        methods = List.copyOf(methods);
        entries = List.copyOf(entries);
        lines = Map.copyOf(lines);
    }

    /** The {@code .nn} line of kernel method {@code name}, or 0. */
    public int lineOf(String name) { return lines.getOrDefault(name, 0); }

    /** The {@code .nn} file and the line of each kernel method, for the class's {@code SourceFile} and line numbers. */
    public NnLines nnLines() { return new NnLines(sourceFile, lines); }

    /**
     * Plans the class for {@code program}.
     *
     * @throws IllegalArgumentException when the program is malformed (buffer ids not 0..n-1, unknown
     *                                  entries, wrong dtypes) or uses a symbol other than {@code batch}
     */
    public static ModelPlan of(KernelProgram program) { return of(program, ClassSplit.MAX_CONSTANTS); }

    /**
     * As {@link #of(KernelProgram)}, splitting the class ({@link ClassSplit}) when its estimated
     * constant-pool entries exceed {@code maxConstants} (tests split small programs with a small value).
     */
    public static ModelPlan of(KernelProgram program, int maxConstants) {
        List<Buffer> buffers = program.buffers();
        for (int id = 0; id < buffers.size(); id++)
            if (buffers.get(id).id() != id)
                throw new IllegalArgumentException("buffer at position " + id + " has id " + buffers.get(id).id());
        for (KernelProgram.Entry e : program.entries())
            if (!ENTRY_NAMES.contains(e.name()) && !SPLIT_NAMES.contains(e.name()))
                throw new IllegalArgumentException("unknown entry '" + e.name() + "'; expected one of " + ENTRY_NAMES + " or " + SPLIT_NAMES);
        List<EntryPlan> entries = new ArrayList<>();
        Map<Kernel, KernelMethod> methods = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(ENTRY_NAMES);
        if (program.entries().stream().anyMatch(e -> SPLIT_NAMES.contains(e.name()))) names.addAll(SPLIT_NAMES);
        for (String name : names) {
            KernelProgram.Entry entry = program.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
            if (entry == null) {
                entries.add(EntryPlan.undefined(name, methodFor(name)));
                continue;
            }
            List<KernelMethod> calls = new ArrayList<>();
            for (Kernel k : entry.kernels()) {
                KernelMethod m = methods.get(k);
                if (m == null) m = method(entry.name() + calls.size(), k, methods, buffers);
                calls.add(m);
            }
            entries.add(EntryPlan.of(name, methodFor(name), calls));
        }
        Map<String, Integer> lines = new LinkedHashMap<>();
        methods.forEach((k, m) -> {
            int line = program.lines().of(k);
            if (line > 0) lines.put(m.name(), line);
        });
        ClassSplit split = ClassSplit.NONE;
        if (ClassSplit.constants(List.copyOf(methods.values()), entries) > maxConstants) {
            entries = entries.stream().map(EntryPlan::chunked).toList();
            split = ClassSplit.of(entries, maxConstants);
        }
        return new ModelPlan(program.info().name(), StringPieces.split(program.info().encode()),
                StringPieces.split(program.bufferTable()), List.copyOf(methods.values()), entries, sourceFile(program), lines, split);
    }

    /**
     * The name for the class's {@code SourceFile}: the {@code .nn} file's name ({@code MODEL.nn} when
     * unknown), cut to fit a class file ({@link NameLimits#sourceFileName}).
     */
    public static String sourceFile(KernelProgram program) {
        String file = program.lines().file().isEmpty() ? program.info().name() + ".nn" : program.lines().file();
        return NameLimits.sourceFileName(file);
    }

    /** The message of the exception a step method without an entry throws (the model's name cut to 200 characters). */
    public String missingEntryMessage(EntryPlan e) {
        return "model " + NameLimits.abbreviate(modelName, 200) + " has no " + e.entryName() + " entry";
    }

    /**
     * The method of {@code k}, registered in {@code methods}; a loop's body kernels get methods of
     * their own ({@code train5_0}, …), registered first, except its step copies, which the loop's
     * method writes inline.
     */
    private static KernelMethod method(String name, Kernel k, Map<Kernel, KernelMethod> methods, List<Buffer> buffers) {
        KernelMethod m;
        if (k instanceof Kernel.Loop loop) {
            List<KernelMethod> body = new ArrayList<>();
            for (int i = 0; i < loop.body().size(); i++) {
                Kernel b = loop.body().get(i);
                if (b instanceof Kernel.Loop) throw new IllegalArgumentException("a loop inside a loop is not supported");
                KernelMethod bm = b instanceof Kernel.StepCopy ? KernelMethod.of(name + "_" + i, b) : methods.get(b);
                body.add(bm != null ? bm : method(name + "_" + i, b, methods, buffers));
            }
            m = KernelMethod.loop(name, loop, body);
        } else {
            m = KernelMethod.of(name, k);
        }
        for (Buffer b : m.params())
            if (b.id() < 0 || b.id() >= buffers.size() || !buffers.get(b.id()).equals(b))
                throw new IllegalArgumentException(b + " used by " + m.name() + " is not a buffer of the program");
        KernelDispatch.checkSizes(m);
        if (!(k instanceof Kernel.StepCopy)) methods.put(k, m);
        return m;
    }

    /** True when some kernel method has a {@link VectorPlan} (in SIMD mode the class then needs its species field). */
    public boolean usesVectors() {
        for (KernelMethod m : methods) if (m.vectorPlan().isPresent()) return true;
        return false;
    }

    /** True when the class has the data-parallel split's entries and implements {@link SplitEntries}. */
    public boolean hasSplitEntries() {
        return entries.stream().anyMatch(e -> SPLIT_NAMES.contains(e.entryName()));
    }

    /** The {@code CompiledModel} (or {@link SplitEntries}) method implementing entry {@code train}, {@code evaluate}, {@code predict}, {@code gradient} or {@code apply}. */
    public static String methodFor(String entryName) {
        return switch (entryName) {
            case "train" -> "trainStep";
            case "evaluate" -> "evaluate";
            case "predict" -> "predict";
            case IrModule.GRADIENT -> "gradientEntry";
            case IrModule.APPLY -> "applyEntry";
            default -> throw new IllegalArgumentException("unknown entry '" + entryName + "'");
        };
    }
}
