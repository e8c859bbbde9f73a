package nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.stream.Stream;
import nnc.emit.load.CodeGenerator;
import nnc.kir.Buffer;
import nnc.kir.KernelProgram;
import nnc.runtime.CompiledModel;
import nnc.runtime.DType;
import nnc.runtime.kernels.VectorWarmup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Source-emitted and bytecode-emitted classes, and the reference evaluator, compute bitwise the same
 * buffers from the same random contents, for several batch sizes and every entry.
 */
class EmitterAgreementTest {
    static final int MAX_BATCH = 7;
    static final int[] BATCHES = {1, 3, MAX_BATCH};

    static Stream<Arguments> programs() {
        return TestPrograms.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    /** Every program in both modes: SIMD loops and scalar loops. */
    static Stream<Arguments> programsAndModes() {
        return programs().flatMap(a -> Stream.of(true, false).map(simd -> Arguments.of(a.get()[0], a.get()[1], simd)));
    }

    @ParameterizedTest(name = "{0} simd={2}")
    @MethodSource("programsAndModes")
    void sourceBytecodeAndReferenceAgreeBitwise(String name, KernelProgram program, boolean simd) {
        int saved = VectorWarmup.scalarCalls;
        VectorWarmup.scalarCalls = 2; // the scalar twins run the first 2 calls, vector loops the rest
        try {
            agree(name, program, simd);
        } finally {
            VectorWarmup.scalarCalls = saved;
        }
    }

    private static void agree(String name, KernelProgram program, boolean simd) {
        String className = "gen." + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        CompiledModel source = CodeGenerator.JAVA.build(program, className, MAX_BATCH, simd);
        CompiledModel bytecode = CodeGenerator.BYTECODE.build(program, className, MAX_BATCH, simd);
        for (int batch : BATCHES) {
            for (KernelProgram.Entry entry : program.entries()) {
                Random random = new Random(31L * name.hashCode() + 7L * batch + entry.name().hashCode());
                float[][] f = new float[program.buffers().size()][];
                int[][] i = new int[program.buffers().size()][];
                for (Buffer b : program.buffers()) fill(b, random, f, i, source, bytecode);
                run(source, entry.name(), batch);
                run(bytecode, entry.name(), batch);
                ReferenceEvaluator.run(program, entry.name(), f, i, batch, simd);
                String where = name + "." + entry.name() + " batch " + batch + (simd ? " simd" : " scalar");
                for (Buffer b : program.buffers()) {
                    if (b.dtype() != DType.F32) continue;
                    assertBitwiseEqual(f[b.id()], source.floats(b.name()), where + ", source vs reference, " + b);
                    assertBitwiseEqual(source.floats(b.name()), bytecode.floats(b.name()), where + ", source vs bytecode, " + b);
                }
            }
        }
    }

    /** Random contents for one buffer, the same in the reference arrays and both models. */
    private static void fill(Buffer b, Random random, float[][] f, int[][] i, CompiledModel... models) {
        if (b.dtype() == DType.F32) {
            float[] a = new float[models[0].floats(b.name()).length];
            for (int k = 0; k < a.length; k++) a[k] = randomFloat(random);
            f[b.id()] = a.clone();
            for (CompiledModel m : models) System.arraycopy(a, 0, m.floats(b.name()), 0, a.length);
        } else {
            int[] a = new int[models[0].ints(b.name()).length];
            // class labels of a 45-wide one-hot reach every lane block and beyond; other indices stay small
            boolean labels = b.name().equals("labels");
            for (int k = 0; k < a.length; k++) a[k] = labels ? random.nextInt(-3, 51) : random.nextInt(5);
            i[b.id()] = a.clone();
            for (CompiledModel m : models) System.arraycopy(a, 0, m.ints(b.name()), 0, a.length);
        }
    }

    /** Mostly uniform in [-3, 3), with some zeros of both signs, ones and infinities; ties for comparisons. */
    static float randomFloat(Random random) {
        int pick = random.nextInt(40);
        return switch (pick) {
            case 0 -> 0f;
            case 1 -> -0f;
            case 2 -> 1f;
            case 3 -> Float.POSITIVE_INFINITY;
            case 4 -> Float.NEGATIVE_INFINITY;
            case 5 -> 0.5f;
            default -> random.nextFloat() * 6f - 3f;
        };
    }

    static void run(CompiledModel m, String entry, int batch) {
        switch (entry) {
            case "train" -> m.trainStep(batch);
            case "evaluate" -> m.evaluate(batch);
            case "predict" -> m.predict(batch);
            default -> throw new IllegalArgumentException(entry);
        }
    }

    static void assertBitwiseEqual(float[] expected, float[] actual, String message) {
        assertEquals(expected.length, actual.length, message + ": length");
        for (int k = 0; k < expected.length; k++) {
            if (Float.floatToRawIntBits(expected[k]) != Float.floatToRawIntBits(actual[k]))
                fail(message + ": element " + k + " is " + actual[k] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[k]))
                        + "), expected " + expected[k] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[k])) + ")");
        }
    }
}
