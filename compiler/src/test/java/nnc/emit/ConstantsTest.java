package nnc.emit;

import static nnc.emit.ProgramBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import nnc.emit.load.CodeGenerator;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.types.Shape;
import org.junit.jupiter.api.Test;

/** Float literals round-trip bit for bit; strings longer than one class-file constant are split and rejoined. */
class ConstantsTest {
    @Test
    void floatLiteralsReadBackAsTheSameBits() {
        Random random = new Random(5);
        for (int k = 0; k < 20_000; k++) {
            float v = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(v)) continue;
            String text = FloatLiterals.source(v);
            if (Float.isInfinite(v)) continue;
            assertTrue(text.endsWith("f"), text);
            assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(Float.parseFloat(text)), text);
        }
        assertEquals("-0.0f", FloatLiterals.source(-0f));
        assertEquals("1.4E-45f", FloatLiterals.source(Float.MIN_VALUE));
        assertEquals("Float.NaN", FloatLiterals.source(Float.NaN));
        assertEquals("Float.intBitsToFloat(0x7fc00123)", FloatLiterals.source(Float.intBitsToFloat(0x7fc00123)));
        assertEquals("Float.NEGATIVE_INFINITY", FloatLiterals.source(Float.NEGATIVE_INFINITY));
    }

    @Test
    void constantsSurviveBothBackEnds() {
        float[] values = {0f, -0f, 1f, 2f, -1f, 0.1f, 1f / 3, Float.MIN_VALUE, Float.MIN_NORMAL, 1e-40f, Float.MAX_VALUE,
                16777217f, -123456.78f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        ProgramBuilder p = new ProgramBuilder("constants");
        Kernel[] ks = new Kernel[values.length];
        for (int k = 0; k < values.length; k++) {
            Buffer one = p.f32("c" + k, Role.OUTPUT);
            ks[k] = new Kernel.Pointwise(Shape.SCALAR, one, c(values[k]));
        }
        KernelProgram program = p.entry("predict", ks).build();
        for (CodeGenerator backend : CodeGenerator.values()) {
            CompiledModel m = backend.build(program, "gen.Constants", 1);
            m.predict(1);
            for (int k = 0; k < values.length; k++)
                assertEquals(Float.floatToRawIntBits(values[k]), Float.floatToRawIntBits(m.floats("c" + k)[0]), backend + " constant " + values[k]);
        }
    }

    @Test
    void piecesRespectTheModifiedUtf8Limit() {
        String s = "ab\u0000\u00e9\u4e2d\ud83d\ude00".repeat(3000);
        List<String> pieces = StringPieces.split(s, 100);
        assertEquals(s, String.join("", pieces));
        for (String piece : pieces) {
            int bytes = piece.chars().map(ch -> StringPieces.utf8Bytes((char) ch)).sum();
            assertTrue(bytes <= 100, "piece of " + bytes + " bytes");
            assertTrue(!Character.isHighSurrogate(piece.charAt(piece.length() - 1)), "a surrogate pair was split");
        }
        assertEquals(List.of(""), StringPieces.split(""));
        assertEquals(List.of("short"), StringPieces.split("short"));
    }

    @Test
    void modelInfoLongerThanOneConstantWorksInBothBackEnds() {
        ProgramBuilder p = new ProgramBuilder("wide");
        String longName = "tensor_with_a_rather_long_descriptive_name_".repeat(3);
        Buffer first = null;
        for (int k = 0; k < 900; k++) {
            Buffer b = p.f32(longName + k, Role.STATE, 2);
            if (first == null) first = b;
        }
        Buffer out = p.f32("out", Role.OUTPUT, 2);
        KernelProgram program = p.entry("predict", new Kernel.Pointwise(shape(2), out, mul(load(first, 1), c(3f)))).build();
        assertTrue(program.info().encode().length() > 2 * StringPieces.MAX_PIECE_BYTES, "the test needs a long info string");
        for (CodeGenerator backend : CodeGenerator.values()) {
            CompiledModel m = backend.build(program, "gen.Wide", 2);
            assertEquals(program.info(), m.info(), backend.toString());
            m.floats(first.name())[1] = 2f;
            m.predict(1);
            assertEquals(6f, m.floats("out")[1], backend.toString());
        }
    }
}
