package nnc.driver;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import nnc.check.CheckedModel;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import nnc.emit.GeneratedClassLoader;
import nnc.interp.Interpreter;
import nnc.emit.ModelPlan;
import nnc.emit.java.JavaSourceEmitter;
import nnc.emit.java.TypedApi;
import nnc.emit.load.CodeGenerator;
import nnc.ir.IrModule;
import nnc.kir.KernelProgram;
import nnc.optim.TrainBlocks;
import nnc.optim.TrainConfig;
import nnc.passes.PassPipeline;
import nnc.passes.PassReport;
import nnc.runtime.CompiledModel;
import nnc.runtime.GeneratedModel;
import nnc.runtime.Numerics;
import nnc.runtime.parallel.DataParallelModel;
import nnc.runtime.parallel.ModelBundle;
import nnc.runtime.parallel.SplitEntries;
import nnc.runtime.parallel.SplitModel;
import nnc.syntax.Ast;

/**
 * One model's way through the compiler, the pipeline every entry point uses (the CLI commands, the
 * Maven plugin, {@code nnc grad}, the benchmarks, the tests): source → checked model → Graph IR
 * (lowered, differentiated, trained, after each pass) → Kernel IR → generated class.
 *
 * <p>The inputs (source, model, effective train configuration, pass pipeline) are fixed when it
 * is made; each stage is computed on first use from the one before and kept, so asking for the
 * emitted source after the Kernel IR builds nothing twice. A train configuration with overrides
 * ({@code --batch}, {@code --epochs}) is a new compilation of the same checked model
 * ({@link #withTrain}). Thread-safe.
 */
public final class Compilation {
    /** Prefix of the gradient outputs of the {@link #differentiated()} module: {@code grad.h.W}. */
    public static final String GRAD = "grad.";

    private static final KernelPipeline KERNEL_PIPELINE = KernelPipeline.standard();

    /**
     * What a compilation is made with besides its source.
     *
     * @param model      the model to compile when the file defines several (null: the file's only one)
     * @param time       the length of the sequence dimension {@code time} (null: from the train block)
     * @param unsafeMath whether the middle end also applies the simplifications that are inexact under IEEE 754
     */
    public record Options(String model, Long time, boolean unsafeMath) {
        public static final Options DEFAULT = new Options(null, null, false);

        public Options withTime(Long t) { return new Options(model, t, unsafeMath); }
    }

    private final SourceFile source;
    private final CheckedModel model;
    private final List<Diagnostic> warnings;
    private final TrainConfig train;
    private final PassPipeline passes;

    private TrainStepBuilder.Stages graphs;
    private List<IrModule> afterEachPass;
    private PassReport passReport;
    private KernelProgram scheduled;
    private List<KernelProgram> afterEachKernelPass;
    private final Map<List<Boolean>, Map<String, byte[]>> javaClasses = new HashMap<>();
    private IrModule splitOptimized;
    private KernelProgram splitProgram;
    private final Map<List<Object>, Map<String, byte[]>> splitClasses = new HashMap<>();

    private Compilation(SourceFile source, CheckedModel model, List<Diagnostic> warnings, TrainConfig train, PassPipeline passes) {
        this.source = source;
        this.model = model;
        this.warnings = List.copyOf(warnings);
        this.train = train;
        this.passes = passes;
    }

    /** Reads a {@code .nn} file (at most {@link nnc.runtime.Limits#MAX_SOURCE_BYTES}, UTF-8). */
    public static SourceFile read(Path file) { return FrontEnd.read(file); }

    /** The only model of {@code file}. */
    public static Compilation of(Path file) { return of(read(file), Options.DEFAULT); }

    public static Compilation of(Path file, Options options) { return of(read(file), options); }

    /** The only model of {@code source}. */
    public static Compilation of(SourceFile source) { return of(source, Options.DEFAULT); }

    /**
     * The model {@code options} names in {@code source} (or its only one).
     *
     * @throws CompileError for errors in the program
     * @throws UserError    when the file defines several models and none is named, or none of that name
     */
    public static Compilation of(SourceFile source, Options options) {
        List<Compilation> all = all(source, options);
        List<String> names = all.stream().map(Compilation::name).toList();
        if (options.model() == null) {
            if (all.size() > 1)
                throw new UserError(source.path() + ": error: the file defines " + all.size() + " models ("
                        + String.join(", ", names) + "): pick one with --model NAME");
            return all.get(0);
        }
        for (Compilation c : all) if (c.name().equals(options.model())) return c;
        throw new UserError(source.path() + ": error: no model named '" + options.model() + "'");
    }

    /**
     * Every model {@code source} defines, in file order, each with the file's warnings ({@code options.model()} is ignored).
     *
     * @throws CompileError for errors in the program, or a file without a model
     */
    public static List<Compilation> all(SourceFile source, Options options) {
        PassPipeline pipeline = PassPipeline.of(options.unsafeMath());
        return FrontEnd.loadAll(source, options.time()).stream()
                .map(l -> new Compilation(source, l.model(), l.warnings(), l.model().train(), pipeline)).toList();
    }

    /** The same model compiled with {@code config} (the train block with command-line overrides) as its train configuration. */
    public Compilation withTrain(TrainConfig config) {
        return config.equals(train) ? this : new Compilation(source, model, warnings, config, passes);
    }

    public SourceFile source() { return source; }

    public CheckedModel model() { return model; }

    /** The model's name, as written after {@code model}. */
    public String name() { return model.decl().name(); }

    /** The checker's warnings about the whole file. */
    public List<Diagnostic> warnings() { return warnings; }

    /** The effective train configuration: the train block with its defaults filled in, and any overrides. */
    public TrainConfig train() { return train; }

    /** Forward pass and loss (train, evaluate and predict graphs). */
    public IrModule lowered() { return graphs().lowered(); }

    /** Plus one gradient per parameter, exported as {@code grad.NAME}. */
    public IrModule differentiated() { return graphs().differentiated(); }

    /** The whole train step: plus the optimiser's updates. */
    public IrModule trained() { return graphs().trained(); }

    /** After the middle end's pass pipeline: what the back ends run. */
    public IrModule optimized() {
        List<IrModule> after = afterEachPass();
        return after.get(after.size() - 1);
    }

    /** The Graph IR after a stage (the Kernel IR stage {@link Stage#SCHEDULE} gives the module it is scheduled from). */
    public IrModule at(Stage stage) {
        return switch (stage) {
            case LOWER -> lowered();
            case AUTODIFF -> differentiated();
            case TRAIN -> trained();
            case PASSES, SCHEDULE, KERNEL_PASSES -> optimized();
        };
    }

    /** The names of the middle end's passes, in order. */
    public List<String> passNames() { return passes.names(); }

    /** The module after each pass of the middle end, in {@link #passNames()} order. */
    public synchronized List<IrModule> afterEachPass() {
        if (afterEachPass == null) {
            PassReport report = new PassReport();
            afterEachPass = List.copyOf(passes.runAll(trained(), report));
            passReport = report;
        }
        return afterEachPass;
    }

    /** The module after pass {@code name} (one of {@link #passNames()}). */
    public IrModule afterPass(String name) {
        int i = passes.names().indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no pass named '" + name + "' (passes: " + String.join(", ", passes.names()) + ")");
        return afterEachPass().get(i);
    }

    /** What the passes said about their work (the inexact rules they applied, under unsafe math). */
    public synchronized List<String> passNotes() {
        afterEachPass();
        return passReport.notes();
    }

    /** The Kernel IR as scheduled from {@link #optimized()}, before the Kernel IR passes (the {@code schedule} step). */
    public synchronized KernelProgram scheduled() {
        if (scheduled == null) scheduled = KERNEL_PIPELINE.schedule(optimized());
        return scheduled;
    }

    /** The Kernel IR after each pass of {@link KernelPipeline#standard()}, in its {@code names()} order. */
    public synchronized List<KernelProgram> afterEachKernelPass() {
        if (afterEachKernelPass == null) afterEachKernelPass = List.copyOf(KERNEL_PIPELINE.runAll(scheduled()));
        return afterEachKernelPass;
    }

    /** The Kernel IR the code generators get: after the last Kernel IR pass ({@link Backend#program} makes the same). */
    public KernelProgram program() {
        List<KernelProgram> after = afterEachKernelPass();
        return after.get(after.size() - 1);
    }

    /** The simple name of the generated class ({@link Backend#className}). */
    public String className() { return Backend.className(name()); }

    private String qualifiedClassName() { return Backend.GENERATED_PACKAGE + "." + className(); }

    /** The trainer's Java source, class {@link #className()} in {@code packageName}: what {@code nnc compile --emit java} and the Maven plugin write. */
    public String javaSource(String packageName, boolean simd) {
        return JavaSourceEmitter.emit(ModelPlan.of(program()), packageName, className(), simd, false, false,
                TypedApi.Facts.of(TrainBlocks.of(train), ModelPlan.sourceFile(program()), model.decl().body().stream()
                        .map(s -> s instanceof Ast.LetDecl d && d.output() ? d.name() : null).filter(Objects::nonNull).toList()));
    }

    /**
     * The trainer's class files, by internal name ({@code nnc/generated/NAME}, and nested classes
     * {@code NAME$Kernels0} when one class file cannot hold it): what {@code nnc compile --emit class} writes.
     */
    public Map<String, byte[]> bytecodeClassFiles(boolean simd) {
        return CodeGenerator.BYTECODE.classFiles(program(), qualifiedClassName(), simd, false);
    }

    /**
     * The class files javac makes of the trainer's Java source (class {@code nnc.generated.NAME}, with
     * {@code simd} loops, every kernel's output checked when {@code checks}), by binary name: computed
     * once for each mode, so each {@link #compiled} Java model costs a class definition, not a javac run.
     */
    public Map<String, byte[]> javaClassFiles(boolean simd, boolean checks) {
        return javaClassFiles(simd, checks, false);
    }

    /** As {@link #javaClassFiles(boolean, boolean)}; {@code profiled}: {@code trainStep} times each kernel call ({@link #profiled}). */
    public Map<String, byte[]> javaClassFiles(boolean simd, boolean checks, boolean profiled) {
        List<Boolean> mode = List.of(simd, checks, profiled);
        synchronized (javaClasses) {
            Map<String, byte[]> files = javaClasses.get(mode);
            if (files == null) {
                files = Map.copyOf(CodeGenerator.JAVA.classFiles(program(), qualifiedClassName(), simd, checks, profiled));
                javaClasses.put(mode, files);
            }
            return files;
        }
    }

    /**
     * The optimised train step running on {@code backend} for up to {@code maxBatch} rows; parameters
     * not yet initialised. Each call defines the generated class afresh (its warm-up counters are its
     * own), from the Kernel IR and, for Java, the class files made once ({@link #javaClassFiles}).
     */
    public CompiledModel compiled(Backend backend, int maxBatch, boolean simd, Numerics.Mode numerics) {
        if (backend != Backend.JAVA) return backend.create(optimized(), this::program, maxBatch, simd, numerics);
        Map<String, byte[]> files = javaClassFiles(simd, numerics == Numerics.Mode.FULL);
        return CodeGenerator.instantiate(GeneratedClassLoader.define(qualifiedClassName(), files), maxBatch);
    }

    /**
     * The train step as {@link #compiled(Backend, int, boolean, Numerics.Mode)} makes it (trainer's own
     * numerics checks), its {@code trainStep} timing each kernel call into
     * {@link GeneratedModel#kernelNanos()}, one slot per kernel of the program's train entry, in order.
     *
     * @throws IllegalArgumentException for the interpreter, which runs no kernels
     */
    public GeneratedModel profiled(Backend backend, int maxBatch, boolean simd) {
        Map<String, byte[]> files = switch (backend) {
            case INTERP -> throw new IllegalArgumentException("the interpreter runs Graph IR operations, not kernels: profile the java or bytecode backend");
            case JAVA -> javaClassFiles(simd, false, true);
            case BYTECODE -> CodeGenerator.BYTECODE.classFiles(program(), qualifiedClassName(), simd, false, true);
        };
        return (GeneratedModel) CodeGenerator.instantiate(GeneratedClassLoader.define(qualifiedClassName(), files), maxBatch);
    }

    /** As {@link #compiled(Backend, int, boolean, Numerics.Mode)} with vector loops and the trainer's own numerics checks. */
    public CompiledModel compiled(Backend backend, int maxBatch) {
        return compiled(backend, maxBatch, true, Numerics.Mode.ON);
    }

    /**
     * The train step with its data-parallel halves as two more entries ({@code gradient},
     * {@code apply}: {@link SplitStep}), after the middle end's passes.
     */
    public synchronized IrModule splitOptimized() {
        if (splitOptimized == null) {
            List<IrModule> after = passes.runAll(graphs().split(), new PassReport());
            splitOptimized = after.get(after.size() - 1);
        }
        return splitOptimized;
    }

    /** The Kernel IR of {@link #splitOptimized()}: five entries, after every Kernel IR pass. */
    public synchronized KernelProgram splitProgram() {
        if (splitProgram == null) splitProgram = KERNEL_PIPELINE.compile(splitOptimized());
        return splitProgram;
    }

    /**
     * The class files of the data-parallel trainer (class {@code nnc.generated.NAME} implementing
     * {@link SplitEntries}, and its nested classes) by internal name, from the {@code java} or
     * {@code bytecode} back end: what a {@link ModelBundle} ships. Made once per mode.
     */
    public Map<String, byte[]> splitClassFiles(Backend backend, boolean simd) {
        if (backend == Backend.INTERP) throw new IllegalArgumentException("the interpreter has no class files: use the java or bytecode backend");
        List<Object> mode = List.of(backend, simd);
        synchronized (splitClasses) {
            Map<String, byte[]> files = splitClasses.get(mode);
            if (files == null) {
                CodeGenerator generator = backend == Backend.JAVA ? CodeGenerator.JAVA : CodeGenerator.BYTECODE;
                Map<String, byte[]> byInternalName = new LinkedHashMap<>();
                generator.classFiles(splitProgram(), qualifiedClassName(), simd, false)
                        .forEach((name, bytes) -> byInternalName.put(name.replace('.', '/'), bytes));
                files = Collections.unmodifiableMap(byInternalName);
                splitClasses.put(mode, files);
            }
            return files;
        }
    }

    /**
     * The data-parallel trainer on {@code backend} as a bundle that needs only nnc-runtime to
     * instantiate ({@code java} or {@code bytecode}).
     */
    public ModelBundle bundle(Backend backend, int maxBatch, boolean simd) {
        return new ModelBundle(qualifiedClassName(), splitClassFiles(backend, simd), maxBatch, simd);
    }

    /**
     * The train step split for data-parallel training on {@code backend}, for up to {@code maxBatch}
     * rows per replica; parameters not yet initialised. With {@link Numerics.Mode#FULL} the
     * interpreter checks every operation; generated code is the plain class ({@link #bundle}).
     */
    public DataParallelModel dataParallel(Backend backend, int maxBatch, boolean simd, Numerics.Mode numerics) {
        if (backend == Backend.INTERP)
            return new SplitModel(new Interpreter(splitOptimized(), maxBatch, numerics == Numerics.Mode.FULL));
        return bundle(backend, maxBatch, simd).instantiate();
    }

    private synchronized TrainStepBuilder.Stages graphs() {
        if (graphs == null) graphs = TrainStepBuilder.build(model, train);
        return graphs;
    }
}
