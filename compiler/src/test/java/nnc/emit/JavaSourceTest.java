package nnc.emit;

import static nnc.emit.ProgramBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.emit.java.JavaSourceEmitter;
import nnc.ir.ReduceFn;
import nnc.ir.UnaryFn;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.Role;
import nnc.types.Shape;
import org.junit.jupiter.api.Test;

/** The generated source reads as intended: golden text for a small program. */
class JavaSourceTest {
    /** {@code h = relu(x + b)}, {@code s = sum over axis 1 of h}. */
    static KernelProgram tiny() {
        ProgramBuilder p = new ProgramBuilder("tiny");
        Shape d = shape(B, 3);
        Buffer x = p.f32("x", Role.INPUT, B, 3);
        Buffer b = p.f32("b", Role.PARAM, 3);
        Buffer h = p.f32("h", Role.OUTPUT, B, 3);
        Buffer s = p.f32("s", Role.OUTPUT, B);
        return p.entry("predict",
                new Kernel.Pointwise(d, h, un(UnaryFn.RELU, add(flat(x, d), load(b, 0, 1)))),
                new Kernel.Reduce(d, List.of(1), ReduceFn.SUM, s, flat(h, d)))
                .build();
    }

    static String source() { return JavaSourceEmitter.emit(tiny(), "gen.models", "Tiny", false); }

    @Test
    void classDeclarationConstantsAndConstructor() {
        String src = source();
        assertTrue(src.startsWith("package gen.models;\n\nimport nnc.runtime.GeneratedModel;\n"), src);
        assertContains(src, "public final class Tiny extends GeneratedModel {");
        assertContains(src, """
                    private static final String INFO = "model|tiny||\\n"
                            + "INPUT|x|F32|-1,3|\\n"
                """);
        assertContains(src, """
                    private static final String TABLE = "0|x|F32|-1,3\\n"
                            + "1|b|F32|3\\n"
                """);
        assertContains(src, """
                    public Tiny(int maxBatch) {
                        super(INFO, TABLE, maxBatch);
                    }
                """);
    }

    @Test
    void stepMethodsCallOneMethodPerKernel() {
        String src = source();
        assertContains(src, """
                    @Override
                    public void predict(int batch) {
                        checkBatch(batch);
                        float[][] f = this.f;
                        predict0(f[0], f[1], f[2], batch);
                        predict1(f[2], f[3], batch);
                    }
                """);
        assertContains(src, """
                    public void trainStep(int batch) {
                        throw new UnsupportedOperationException("model tiny has no train entry");
                    }
                """);
    }

    @Test
    void kernelMethodsAreReadableLoops() {
        String src = source();
        String kernels = src.substring(src.indexOf("    /**\n     * h = relu"));
        assertEquals("""
                    /**
                     * h = relu(x + b[i1])
                     * pointwise over [batch,3] (indices i0, i1)
                     * buffers: b0(x: f32[batch,3]), b1(b: f32[3]), b2(h: f32[batch,3])
                     */
                    private static void predict0(float[] b0, float[] b1, float[] b2, int batch) {
                        for (int i0 = 0; i0 < batch; i0++) {
                            int o0 = i0 * 3;
                            for (int i1 = 0; i1 < 3; i1++) {
                                b2[o0 + i1] = Math.max(b0[o0 + i1] + b1[i1], 0f);
                            }
                        }
                    }

                    /**
                     * s = sum over i1 of h
                     * reduce over [batch,3] (indices i0, i1) into [batch]
                     * buffers: b2(h: f32[batch,3]), b3(s: f32[batch])
                     */
                    private static void predict1(float[] b2, float[] b3, int batch) {
                        for (int i0 = 0; i0 < batch; i0++) {
                            int o0 = i0 * 3;
                            float acc = 0f;
                            for (int i1 = 0; i1 < 3; i1++) {
                                acc += b2[o0 + i1];
                            }
                            b3[i0] = acc;
                        }
                    }
                }
                """, kernels);
    }

    @Test
    void expressionsUseMinimalParenthesesAndRuntimeMath() {
        String binary = JavaSourceEmitter.emit(TestPrograms.binary(), "gen", "Binary", false);
        assertContains(binary, "b17[o0 + i1] = b1[i1] > b0[o0 + i1] ? 1f : 0f;");
        assertContains(binary, "ScalarMath.pow(b0[o0 + i1], b1[i1])");
        assertContains(binary, "b0[o0 + i1] - b1[i1] - (3.0f * (b0[o0 + i1] / 7.0f) - (b0[o0 + i1] > b1[i1] ? 1f : 0f))");
        assertContains(binary, "import nnc.runtime.kernels.ScalarMath;");
        String select = JavaSourceEmitter.emit(TestPrograms.select(), "gen", "Select", false);
        assertContains(select, "= (b0[o0 + i1] > b1[i1] ? 1f : 0f) != 0f ? b0[o0 + i1] : 0.1f * b1[i1];");
        assertContains(select, "1.0f + (");
        String unary = JavaSourceEmitter.emit(TestPrograms.unary(), "gen", "Unary", false);
        String nested = "b" + (UnaryFn.values().length + 1); // after x (b0) and one output per function
        assertContains(unary, nested + "[x] = -(ScalarMath.sqrt(Math.abs(b0[x])) + -ScalarMath.tanh(b0[x]));");
        assertContains(unary, "nested = -(sqrt(abs(x)) + -tanh(x))");
        String broadcast = JavaSourceEmitter.emit(TestPrograms.broadcast(), "gen", "Broadcast", false);
        assertContains(broadcast, "b4[x] = b3[x] / (float) batch - b2[0] * -0.00125f;");
        assertContains(broadcast, "// x walks axes [0, 1] as one run");
        assertContains(broadcast, "b5[0] = b2[0] * 1.4E-45f + -(-(-0.0f));");
    }

    @Test
    void reductionsMatricesAndOneHot() {
        String reduce = JavaSourceEmitter.emit(TestPrograms.reduce(), "gen", "Reduce", false);
        assertContains(reduce, "Arrays.fill(b2, 0, 12, 0f);");
        // the column sum over batch rows adds blocks of rows (BlockedSum)
        assertContains(reduce, "float[] nncPart = BlockedSums.partials(12);");
        assertContains(reduce, "for (int i0Block = 0; i0Block < batch; i0Block += 64) {");
        assertContains(reduce, "nncPart[i1] += b0[o0 + i1];");
        assertContains(reduce, "BlockedSums.addInto(b2, nncPart, 12);");
        assertContains(reduce, "acc = Math.max(acc, b0[x]);");
        assertContains(reduce, "float acc = Float.NEGATIVE_INFINITY;");
        String matmul = JavaSourceEmitter.emit(TestPrograms.matmul(), "gen", "MatMul", false);
        assertContains(matmul, "Gemm.matmul(true, false, 4, 3, batch, b0, 0, b4, 0, b9, 0);");
        assertContains(matmul, "nn = a @ w\n");
        String oneHot = JavaSourceEmitter.emit(TestPrograms.oneHot(), "gen", "OneHot", false);
        assertContains(oneHot, "b2[o0 + i1] = (b0[i0] == i1 ? 1f : 0f) * 2.0f - b1[o0 + i1];");
        assertContains(oneHot, "int[][] i = this.i;");
    }

    @Test
    void kernelsSharedByEntriesAreEmittedOnce() {
        String src = JavaSourceEmitter.emit(TestPrograms.linearRegression(), "gen", "LinReg", false);
        assertContains(src, """
                    public void predict(int batch) {
                        checkBatch(batch);
                        float[][] f = this.f;
                        train0(f[0], f[2], f[6], batch);
                        train1(f[3], f[4], f[6], batch);
                    }
                """);
        assertTrue(!src.contains("void predict0(") && !src.contains("void evaluate0("), src);
    }

    private static void assertContains(String text, String piece) {
        assertTrue(text.contains(piece), () -> "expected to find\n" + piece + "\nin\n" + text);
    }
}
