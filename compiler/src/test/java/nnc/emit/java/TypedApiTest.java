package nnc.emit.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nnc.cli.Run;
import nnc.driver.Compilation;
import nnc.runtime.DType;
import nnc.runtime.GeneratedModel;
import nnc.runtime.Init;
import nnc.runtime.ModelInfo;
import nnc.runtime.NncVersion;
import nnc.runtime.Role;
import nnc.runtime.TensorSpec;
import nnc.runtime.api.FloatTensor;
import nnc.runtime.io.SafeTensors;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.io.Tensor;
import nnc.runtime.io.TensorFile;
import nnc.runtime.kernels.ParamInit;
import nnc.runtime.data.Dataset;
import nnc.runtime.train.TrainListener;
import nnc.runtime.train.TrainOptions;
import nnc.runtime.train.TrainResult;
import nnc.runtime.train.Trainer;
import nnc.runtime.train.TrainableModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** The typed surface of the trainer the Maven plugin writes ({@link TypedApi}), compiled and run. */
class TypedApiTest {
    private static final String BLOBS = """
            model Blobs {
              input  x: f32[batch, 2]
              target y: i32[batch]
              h      = relu(dense(x, 8))
              logits = dense(h, 3)
              output probs = softmax(logits)
              loss   cross_entropy(logits, y)
              metric accuracy(logits, y)
            }
            train {
              data      gaussians(n = 300, classes = 3)
              validate  gaussians(n = 100, classes = 3)
              optimizer adam(lr = 0.01)
              schedule  cosine(warmup = 5)
              batch     16
              epochs    3
              seed      11
            }
            """;

    @TempDir Path tmp;

    private Class<?> compile(String name, String text) throws IOException {
        Path file = tmp.resolve(name + ".nn");
        Files.writeString(file, text);
        return InMemoryJavaCompiler.compile("nnc.generated." + name, Compilation.of(file).javaSource("nnc.generated", true));
    }

    private static TrainableModel create(Class<?> c) throws ReflectiveOperationException {
        return (TrainableModel) c.getMethod("create").invoke(null);
    }

    private static Map<String, Tensor> tensors(Path file) { return SafeTensors.read(file).tensors(); }

    @Test
    void fitFollowsTheTrainBlockBitwiseAsNncTrainDoes() throws Exception {
        TrainableModel model = create(compile("Blobs", BLOBS));
        assertEquals(16, model.maxBatch());
        TrainResult r = Trainer.fit(model, TrainListener.NONE); // the schedule comes from the train block: no exception
        assertEquals(3, r.history().size());
        Path api = tmp.resolve("api.safetensors"), cli = tmp.resolve("cli.safetensors");
        ((GeneratedModel) model).save(api);
        Run.Result run = Run.nnc("train", tmp.resolve("Blobs.nn"), "--save", cli);
        assertEquals(0, run.code(), run.toString());
        Map<String, Tensor> a = tensors(api), b = tensors(cli);
        assertEquals(b.keySet(), a.keySet());
        for (String k : a.keySet()) assertArrayEquals(b.get(k).f32(), a.get(k).f32(), k);
        assertEquals(Map.of("nnc.model", "Blobs", "nnc.version", NncVersion.current(), "nnc.contents", "trained"), SafeTensors.read(api).metadata());
    }

    @Test
    void optionsWithoutAScheduleFollowTheTrainBlocksSchedule() throws Exception {
        Class<?> c = compile("Blobs", BLOBS);
        TrainableModel a = create(c), b = create(c);
        Dataset data = a.trainBlock().trainingData(tmp);
        Trainer.fit(a, data);
        Trainer.fit(b, data, null, new TrainOptions(3, 16, 11, true), TrainListener.NONE); // no schedule given: not an error
        assertArrayEquals(new FloatTensor(a, "h.W").toArray(), new FloatTensor(b, "h.W").toArray());
    }

    @Test
    void theConstructorInitialisesTheParametersWithTheTrainBlocksSeed() throws Exception {
        Class<?> c = compile("Blobs", BLOBS);
        TrainableModel model = (TrainableModel) c.getConstructor(int.class).newInstance(4);
        TrainableModel fresh = create(c);
        ParamInit.initialize(fresh, 11);
        for (TensorSpec p : model.info().withRole(Role.PARAM)) {
            float[] got = new FloatTensor(model, p.name()).toArray();
            assertArrayEquals(new FloatTensor(fresh, p.name()).toArray(), got, p.name());
            if (p.name().endsWith(".W")) assertTrue(Math.abs(got[0]) + Math.abs(got[1]) > 0, p.name() + " is drawn, not zero");
        }
        TrainableModel other = (TrainableModel) c.getMethod("create", long.class).invoke(null, 12L);
        assertFalse(Arrays.equals(new FloatTensor(model, "h.W").toArray(), new FloatTensor(other, "h.W").toArray()));
    }

    @Test
    void accessorsWriteTheModelsBuffersAndPredictBatchesInternally() throws Exception {
        Class<?> c = compile("Blobs", BLOBS);
        TrainableModel model = (TrainableModel) c.getMethod("create", long.class, int.class).invoke(null, 3L, 4);
        FloatTensor x = (FloatTensor) c.getMethod("x").invoke(model);
        x.set(2, 1, 7.5f);
        assertEquals(7.5f, model.floats("x")[model.offset("x") + 2 * 2 + 1]);
        assertEquals(4, x.rows());
        assertThrows(IndexOutOfBoundsException.class, () -> x.set(4, 0, 1f));
        assertThrows(IndexOutOfBoundsException.class, () -> x.set(0, 2, 1f));
        FloatTensor w = (FloatTensor) c.getMethod("h_W").invoke(model);
        assertEquals(List.of(2, 8), List.of(w.rows(), w.rowSize()));

        float[][] rows = new float[11][]; // 11 rows through a model of maxBatch 4: three predict steps
        for (int i = 0; i < rows.length; i++) rows[i] = new float[] {i * 0.3f - 1.5f, 1 - i * 0.2f};
        Method predict = c.getMethod("predict", float[][].class);
        assertEquals(float[][].class, predict.getReturnType()); // the declared output only, not logits (exported for the metric)
        float[][] probs = (float[][]) predict.invoke(model, (Object) rows);
        assertEquals(11, probs.length);
        for (int i = 0; i < rows.length; i++) { // one row at a time through the untyped interface
            System.arraycopy(rows[i], 0, model.floats("x"), model.offset("x"), 2);
            model.predict(1);
            float[] one = Arrays.copyOfRange(model.floats("probs"), model.offset("probs"), model.offset("probs") + 3);
            assertArrayEquals(one, probs[i], "row " + i);
        }
        Throwable e = assertThrows(InvocationTargetException.class, () -> predict.invoke(model, (Object) new float[][] {{1, 2, 3}})).getCause();
        assertEquals("x f32[batch,2] has rows of 2 values, not 3", e.getMessage());
    }

    @Test
    void saveAndLoadKeepTheModelAndCheckItsNameAndShapes() throws Exception {
        Class<?> c = compile("Blobs", BLOBS);
        TrainableModel model = create(c);
        Trainer.fit(model, TrainListener.NONE);
        Path file = tmp.resolve("blobs.safetensors");
        ((GeneratedModel) model).save(file);
        Method load = c.getMethod("load", Path.class), predict = c.getMethod("predict", float[][].class);
        Object loaded = load.invoke(null, file);
        float[][] rows = {{2, 0}, {0, 2}, {-2, 0}};
        assertArrayEquals((float[][]) predict.invoke(model, (Object) rows), (float[][]) predict.invoke(loaded, (Object) rows));

        Class<?> other = compile("Other", BLOBS.replace("model Blobs", "model Other").replace("dense(x, 8)", "dense(x, 5)"));
        Path otherFile = tmp.resolve("other.safetensors");
        ((GeneratedModel) create(other)).save(otherFile);
        assertEquals("holds model Other, not Blobs (saved by nnc " + NncVersion.current() + ")", problem(load, otherFile));

        TensorFile f = SafeTensors.read(otherFile); // Other's tensors relabelled as Blobs: h.W is [2, 5], not [2, 8]
        Path relabelled = tmp.resolve("relabelled.safetensors");
        SafeTensors.write(relabelled, f.tensors().values(), Map.of("nnc.model", "Blobs"));
        assertEquals("tensor h.W has shape [2, 5], the model's h.W is f32[2,8]", problem(load, relabelled));
        SafeTensors.write(relabelled, f.tensors().values(), Map.of());
        assertTrue(problem(load, relabelled).startsWith("no nnc.model metadata"), problem(load, relabelled));
    }

    @Test
    void optimizerStateMakesALoadedModelContinueExactly() throws Exception {
        Class<?> c = compile("Blobs", BLOBS);
        TrainableModel a = create(c);
        Trainer.fit(a, TrainListener.NONE);
        Path file = tmp.resolve("with-optimizer.safetensors");
        ((GeneratedModel) a).save(file, true);
        TrainableModel b = (TrainableModel) c.getMethod("load", Path.class).invoke(null, file);
        for (TensorSpec s : a.info().tensors())
            if (s.role() == Role.STATE && s.dtype() == DType.F32)
                assertArrayEquals(new FloatTensor(a, s.name()).toArray(), new FloatTensor(b, s.name()).toArray(), s.name());
        var data = a.trainBlock().trainingData(tmp);
        Trainer.fit(a, data);
        Trainer.fit(b, data);
        assertArrayEquals(new FloatTensor(a, "h.W").toArray(), new FloatTensor(b, "h.W").toArray());
    }

    @Test
    void loadingATrainerGeneratedByAnotherNncFailsWithTheCheck() throws IOException {
        Path file = tmp.resolve("Blobs.nn");
        Files.writeString(file, BLOBS);
        String source = Compilation.of(file).javaSource("nnc.generated", true);
        assertTrue(source.contains("@Generated(\n        value = \"nnc " + NncVersion.current() + "\""), source.substring(0, 1200));
        String old = source.replace("NNC_VERSION = \"" + NncVersion.current() + "\"", "NNC_VERSION = \"0.0.1\"");
        Class<?> c = InMemoryJavaCompiler.compile("nnc.generated.Blobs", old);
        Throwable e = assertThrows(ExceptionInInitializerError.class, () -> c.getMethod("create").invoke(null)); // the class initialiser's check
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertTrue(e.getCause().getMessage().startsWith("Blobs was generated by nnc 0.0.1 but the nnc-runtime on the class path is "), e.getCause().getMessage());
    }

    static Stream<Path> samples() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("samples/playground.nn"))) dir = dir.getParent();
        return Files.list(dir.resolve("samples")).filter(p -> p.toString().endsWith(".nn")).sorted();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySamplesTrainerCompilesWithAPredictForItsInputs(Path sample) throws Exception {
        Compilation compilation = Compilation.of(sample);
        Class<?> c = InMemoryJavaCompiler.compile("nnc.generated." + compilation.className(), compilation.javaSource("nnc.generated", true));
        TrainableModel model = (TrainableModel) c.getMethod("create", long.class, int.class).invoke(null, 1L, 2);
        List<Class<?>> types = model.info().withRole(Role.INPUT).stream()
                .<Class<?>>map(t -> t.dtype() == DType.F32 ? float[][].class : int[][].class).toList();
        Method predict = c.getMethod("predict", types.toArray(Class<?>[]::new));
        Object[] rows = model.info().withRole(Role.INPUT).stream() // three zero rows (token 0) each: two predict steps
                .map(t -> t.dtype() == DType.F32 ? (Object) new float[3][t.rowSize()] : (Object) new int[3][t.rowSize()]).toArray();
        Object out = predict.invoke(model, rows);
        if (out instanceof float[][] f) assertEquals(3, f.length, sample.toString());
        else assertTrue(out instanceof Record, sample + ": " + out);
    }

    @Test
    void aTrainerFromAnotherNncVersionSaysWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NncVersion.check("0.0.1", "Blobs"));
        assertEquals("Blobs was generated by nnc 0.0.1 but the nnc-runtime on the class path is " + NncVersion.current()
                + ": regenerate it with nnc " + NncVersion.current() + " (mvn generate-sources), or depend on nnc-runtime 0.0.1", e.getMessage());
        NncVersion.check(NncVersion.current(), "Blobs");
    }

    @Test
    void accessorNamesAreIdentifiersThatCollideWithNothing() {
        ModelInfo info = new ModelInfo("M", List.of(
                new TensorSpec("predict", Role.INPUT, DType.F32, new int[] {-1, 2}, null),
                new TensorSpec("h.W", Role.PARAM, DType.F32, new int[] {2, 2}, Init.ZEROS),
                new TensorSpec("h_W", Role.PARAM, DType.F32, new int[] {2, 2}, Init.ZEROS),
                new TensorSpec("class", Role.TARGET, DType.I32, new int[] {-1}, null),
                new TensorSpec("h.W.adam_m", Role.STATE, DType.F32, new int[] {2, 2}, null),
                new TensorSpec("loss", Role.OUTPUT, DType.F32, new int[] {}, null)), "loss", List.of());
        assertEquals(List.of("predict_", "h_W", "h_W_", "class_"), List.copyOf(TypedApi.accessorNames(info).values()));
    }

    private static String problem(Method load, Path file) {
        Throwable e = assertThrows(InvocationTargetException.class, () -> load.invoke(null, file)).getCause();
        assertTrue(e instanceof SafeTensorsException, e.toString());
        return ((SafeTensorsException) e).problem();
    }
}
