package nnc.emit.java;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.Generated;
import javax.lang.model.element.Modifier;
import nnc.runtime.DType;
import nnc.runtime.ModelInfo;
import nnc.runtime.NncVersion;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.api.Batches;
import nnc.runtime.api.FloatTensor;
import nnc.runtime.api.IntTensor;
import nnc.runtime.data.DataSpec;
import nnc.runtime.io.ModelFiles;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.train.EarlyStopping;
import nnc.runtime.train.TrainBlock;
import nnc.runtime.train.TrainableModel;

/**
 * The typed surface of a generated trainer (Java source back end, what the Maven plugin writes):
 * {@code @Generated} with the nnc version, checked against the runtime's when the class loads; the
 * train block ({@code trainBlock()}); constructors and {@code create} factories that initialise the
 * parameters as the {@code .nn} says; {@code load(path)}; one accessor per input, target, parameter,
 * inference state and output ({@code model.x()}, shapes in the Javadoc); and
 * {@code predict(float[][] ...)} over any number of rows. Kernels and step methods are untouched.
 */
public final class TypedApi {
    /** Names a generated trainer already has: accessors take another name (a trailing {@code _}). */
    private static final Set<String> TAKEN = Set.of("info", "maxBatch", "floats", "ints", "offset", "trainStep", "evaluate", "predict",
            "loss", "save", "load", "create", "kernelNanos", "trainBlock", "checkBatch", "equals", "hashCode", "toString", "getClass",
            "notify", "notifyAll", "wait", "clone", "finalize", "Prediction");

    private static final ClassName TRAIN_BLOCK = ClassName.get(TrainBlock.class);

    /**
     * What the typed surface needs besides the Kernel IR.
     *
     * @param train      the train block
     * @param nncVersion the generating nnc's version
     * @param sourceFile the {@code .nn} file's name
     * @param declared   the outputs the model declares ({@code output p = ...}), which {@code predict} returns
     *                   (not those exported only for a metric); empty: every output with a batch dimension
     */
    public record Facts(TrainBlock train, String nncVersion, String sourceFile, List<String> declared) {
        public Facts { declared = List.copyOf(declared); }

        /** With this build's version. */
        public static Facts of(TrainBlock train, String sourceFile, List<String> declared) {
            return new Facts(train, NncVersion.current(), sourceFile, declared);
        }
    }

    private TypedApi() {}

    /** Adds the typed surface to {@code type}, the trainer of {@code info}; {@code superCall} is its {@code super(...)} statement. */
    static void add(TypeSpec.Builder type, String simpleName, ModelInfo info, Facts facts, String superCall) {
        ClassName self = ClassName.get("", simpleName);
        type.addAnnotation(AnnotationSpec.builder(Generated.class)
                        .addMember("value", "$L", JavaText.stringLiteral("nnc " + facts.nncVersion()))
                        .addMember("comments", "$L", JavaText.stringLiteral(JavaText.comment("model " + info.name() + " of " + facts.sourceFile()))).build())
                .addSuperinterface(TrainableModel.class)
                .addField(FieldSpec.builder(String.class, "NNC_VERSION", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The nnc that generated this class; the runtime must be the same version.\n")
                        .initializer("$L", JavaText.stringLiteral(facts.nncVersion())).build())
                .addStaticBlock(CodeBlock.of("$T.check(NNC_VERSION, $L);\n", NncVersion.class, JavaText.stringLiteral(simpleName)))
                .addField(FieldSpec.builder(TRAIN_BLOCK, "TRAIN_BLOCK", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The model's train block, defaults filled in.\n").initializer(trainBlock(facts.train())).build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addJavadoc("Allocates every buffer for up to {@code maxBatch} rows and initialises the parameters as the\n"
                                + "{@code .nn} file says, with the train block's seed: the model is ready to train.\n")
                        .addParameter(int.class, "maxBatch").addStatement("this(maxBatch, TRAIN_BLOCK.seed())").build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                        .addParameter(int.class, "maxBatch").addParameter(long.class, "seed")
                        .addStatement(superCall).addStatement("$T.initialize(this, seed)", ParamInit.class).build())
                .addMethod(MethodSpec.methodBuilder("create").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("A model for the train block's batch, its parameters drawn with the train block's seed ($L).\n", facts.train().seed())
                        .addStatement("return new $T(TRAIN_BLOCK.batch(), TRAIN_BLOCK.seed())", self).build())
                .addMethod(MethodSpec.methodBuilder("create").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("A model for the train block's batch, its parameters drawn with {@code seed}.\n")
                        .addParameter(long.class, "seed").addStatement("return new $T(TRAIN_BLOCK.batch(), seed)", self).build())
                .addMethod(MethodSpec.methodBuilder("create").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("A model for up to {@code maxBatch} rows a step, its parameters drawn with {@code seed}.\n")
                        .addParameter(long.class, "seed").addParameter(int.class, "maxBatch").addStatement("return new $T(maxBatch, seed)", self).build())
                .addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("The model {@code save(file)} wrote (its name and every tensor's shape are checked), for the train block's batch.\n")
                        .addParameter(Path.class, "file").addStatement("return load(file, TRAIN_BLOCK.batch())").build())
                .addMethod(MethodSpec.methodBuilder("load").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(self)
                        .addJavadoc("As {@link #load(Path)}, for up to {@code maxBatch} rows a step.\n")
                        .addParameter(Path.class, "file").addParameter(int.class, "maxBatch")
                        .addStatement("return $T.load(new $T(maxBatch), file)", ModelFiles.class, self).build())
                .addMethod(MethodSpec.methodBuilder("trainBlock").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(TRAIN_BLOCK)
                        .addJavadoc("The train block: optimiser $L, $L epochs of batch $L, seed $L, schedule $L; what {@code Trainer.fit(model, data)} follows.\n",
                                facts.train().optimizer(), facts.train().epochs(), facts.train().batch(), facts.train().seed(), facts.train().schedule())
                        .addStatement("return TRAIN_BLOCK").build());
        Map<TensorSpec, String> names = accessorNames(info);
        names.forEach((t, name) -> type.addMethod(accessor(t, name)));
        addPredict(type, info, names, facts.declared());
    }

    /** The tensors with an accessor (inputs, targets, parameters, inference state, outputs but the loss) and the accessors' names. */
    static Map<TensorSpec, String> accessorNames(ModelInfo info) {
        Map<TensorSpec, String> out = new LinkedHashMap<>();
        Set<String> used = new HashSet<>(TAKEN);
        for (TensorSpec t : info.tensors()) {
            boolean wanted = switch (t.role()) {
                case INPUT, TARGET, PARAM -> true;
                case STATE -> t.inferenceState();
                case OUTPUT -> !t.name().equals(info.lossName());
            };
            if (!wanted) continue;
            String name = t.name().replaceAll("[^A-Za-z0-9_]", "_");
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,63}") || name.equals("_")) name = JavaText.identifier(t.name());
            else name = JavaText.identifier(name);
            while (!used.add(name)) name = name + "_";
            out.put(t, name);
        }
        return out;
    }

    private static String role(TensorSpec t) {
        return switch (t.role()) {
            case INPUT -> "input";
            case TARGET -> "target";
            case PARAM -> "parameter";
            case STATE -> "inference state";
            case OUTPUT -> "output";
        };
    }

    private static MethodSpec accessor(TensorSpec t, String name) {
        Class<?> view = t.dtype() == DType.F32 ? FloatTensor.class : IntTensor.class;
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(view)
                .addJavadoc("The $L {@code $L}: {@code $L}$L.\n", role(t), JavaText.comment(t.name()), t.typeText(),
                        t.hasBatch() ? ", one row per example" : "")
                .addStatement("return new $T(this, $L)", view, JavaText.stringLiteral(t.name())).build();
    }

    /** {@code predict(float[][] x, ...)}: every input's rows in, the outputs' rows out, in batches of {@code maxBatch}. */
    private static void addPredict(TypeSpec.Builder type, ModelInfo info, Map<TensorSpec, String> names, List<String> declared) {
        List<TensorSpec> inputs = info.withRole(Role.INPUT), outputs = new ArrayList<>();
        for (TensorSpec t : info.withRole(Role.OUTPUT))
            if (t.hasBatch() && t.dim(0) == TensorSpec.BATCH && (declared.isEmpty() || declared.contains(t.name()))) outputs.add(t);
        if (inputs.isEmpty() || outputs.isEmpty() || !inputs.stream().allMatch(t -> t.rank() > 0 && t.dim(0) == TensorSpec.BATCH)) return;
        MethodSpec.Builder m = MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC);
        StringBuilder doc = new StringBuilder("The model's outputs for any number of examples, {@code maxBatch()} at a time.\n");
        CodeBlock.Builder inNames = CodeBlock.builder(), inRows = CodeBlock.builder(), outNames = CodeBlock.builder();
        for (int k = 0; k < inputs.size(); k++) {
            TensorSpec t = inputs.get(k);
            m.addParameter(ParameterSpec.builder(rowsType(t), names.get(t)).build());
            doc.append("\n@param ").append(names.get(t)).append(" rows of input {@code ").append(JavaText.comment(t.name())).append("} ")
                    .append(t.typeText()).append(", each of ").append(t.rowSize()).append(t.rowSize() == 1 ? " value" : " values").append(" (row-major)");
            inNames.add(k == 0 ? "$L" : ", $L", JavaText.stringLiteral(t.name()));
            inRows.add(k == 0 ? "$L" : ", $L", names.get(t));
        }
        for (int k = 0; k < outputs.size(); k++) outNames.add(k == 0 ? "$L" : ", $L", JavaText.stringLiteral(outputs.get(k).name()));
        m.addStatement("$T[] out = $T.predict(this, new String[] {$L}, new Object[] {$L}, new String[] {$L})", Object.class, Batches.class,
                inNames.build(), inRows.build(), outNames.build());
        if (outputs.size() == 1) {
            TensorSpec o = outputs.get(0);
            doc.append("\n@return the rows of output {@code ").append(JavaText.comment(o.name())).append("} ").append(o.typeText()).append(", one per example");
            m.returns(rowsType(o)).addStatement("return ($T) out[0]", rowsType(o));
        } else {
            ClassName prediction = ClassName.get("", "Prediction");
            TypeSpec.Builder record = TypeSpec.recordBuilder("Prediction").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .addJavadoc("The outputs of {@code predict}, one row per example.\n");
            MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
            CodeBlock.Builder args = CodeBlock.builder();
            for (int k = 0; k < outputs.size(); k++) {
                TensorSpec o = outputs.get(k);
                ctor.addParameter(rowsType(o), names.get(o));
                args.add(k == 0 ? "($T) out[$L]" : ", ($T) out[$L]", rowsType(o), k);
            }
            type.addType(record.recordConstructor(ctor.build()).build());
            doc.append("\n@return the rows of each output");
            m.returns(prediction).addStatement("return new $T($L)", prediction, args.build());
        }
        type.addMethod(m.addJavadoc("$L\n", doc.toString()).build());
    }

    private static TypeName rowsType(TensorSpec t) {
        return TypeName.get(t.dtype() == DType.F32 ? float[][].class : int[][].class);
    }

    /** {@code new TrainBlock("adam", Map.ofEntries(...), ...)}, one argument a line, maps in key order so the source does not depend on hashing. */
    private static CodeBlock trainBlock(TrainBlock b) {
        List<CodeBlock> args = List.of(CodeBlock.of("$L", JavaText.stringLiteral(b.optimizer())), map(b.optimizerOptions()),
                CodeBlock.of("$L", b.fullBatch()), CodeBlock.of("$L", b.clipping() == null ? "null" : JavaText.stringLiteral(b.clipping())),
                CodeBlock.of("$L", b.epochs()), CodeBlock.of("$L", b.batch()), CodeBlock.of("$LL", b.seed()), CodeBlock.of("$L", b.shuffle()),
                CodeBlock.of("$L", JavaText.stringLiteral(b.schedule())), map(b.scheduleOptions()),
                b.earlyStopping() == null ? CodeBlock.of("null") : CodeBlock.of("new $T($L, $L, $L)", EarlyStopping.class,
                        b.earlyStopping().patience(), JavaText.stringLiteral(b.earlyStopping().monitor()), b.earlyStopping().minDelta()),
                data(b.data()), data(b.validate()));
        return CodeBlock.of("new $T(\n$>$>$L$<$<)", TRAIN_BLOCK, CodeBlock.join(args, ",\n"));
    }

    private static CodeBlock data(DataSpec d) {
        if (d == null) return CodeBlock.of("null");
        CodeBlock.Builder args = CodeBlock.builder();
        for (int k = 0; k < d.args().size(); k++) args.add(k == 0 ? "$L" : ", $L", value(d.args().get(k)));
        return CodeBlock.of("new $T($L, $T.of($L), $L, $L)", DataSpec.class, JavaText.stringLiteral(d.kind()), List.class, args.build(),
                map(d.options()), JavaText.stringLiteral(origin(d.origin())));
    }

    /** Where a data source was written, {@code Blobs.nn:12:13}, without the directories (the source must not depend on where it was built). */
    private static String origin(String origin) {
        if (origin == null) return "";
        return JavaText.comment(origin.substring(Math.max(origin.lastIndexOf('/'), origin.lastIndexOf('\\')) + 1));
    }

    private static CodeBlock map(Map<String, ?> m) {
        CodeBlock.Builder entries = CodeBlock.builder();
        boolean first = true;
        for (Map.Entry<String, ?> e : new TreeMap<>(m).entrySet()) {
            entries.add(first ? "$T.entry($L, $L)" : ", $T.entry($L, $L)", Map.class, JavaText.stringLiteral(e.getKey()), value(e.getValue()));
            first = false;
        }
        return CodeBlock.of("$T.ofEntries($L)", Map.class, entries.build());
    }

    private static String value(Object v) {
        return switch (v) {
            case Double d -> Double.toString(d);
            case String s -> JavaText.stringLiteral(s);
            default -> throw new IllegalArgumentException("a train block value that is neither a number nor a string: " + v);
        };
    }
}
