package nnc.emit;

import static nnc.emit.ProgramBuilder.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nnc.emit.bytecode.BytecodeEmitter;
import nnc.emit.java.InMemoryJavaCompiler;
import nnc.emit.java.JavaSourceEmitter;
import nnc.emit.load.CodeGenerator;
import nnc.kir.Buffer;
import nnc.kir.Kernel;
import nnc.kir.KernelProgram;
import nnc.runtime.CompiledModel;
import nnc.runtime.Role;
import nnc.types.Dim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The public entry points: building, loading and instantiating, and the errors they report. */
class CodeGeneratorTest {
    @ParameterizedTest
    @EnumSource(CodeGenerator.class)
    void buildsAWorkingModelInAnyPackageAndUnderARepeatedName(CodeGenerator backend) {
        KernelProgram program = TestPrograms.linearRegression();
        CompiledModel a = backend.build(program, "Plain", 4);
        CompiledModel b = backend.build(program, "Plain", 4);
        assertNotSame(a.getClass(), b.getClass(), "each build loads its own class");
        assertEquals("Plain", a.getClass().getName());
        assertEquals(4, a.maxBatch());
        assertEquals(program.info(), a.info());
        assertEquals(12, a.floats("x").length);
        a.floats("x")[0] = 1f;
        a.floats("w")[0] = 2f;
        a.floats("b")[0] = 0.5f;
        a.floats("y")[0] = 3f;
        a.evaluate(1);
        assertEquals(2.5f, a.floats("pred")[0]);
        assertEquals(0.25f, a.loss());
    }

    @ParameterizedTest
    @EnumSource(CodeGenerator.class)
    void stepsCheckTheBatchAndMissingEntriesThrow(CodeGenerator backend) {
        CompiledModel m = backend.build(TestPrograms.broadcast(), "gen.Broadcast", 3);
        assertThrows(IllegalArgumentException.class, () -> m.predict(0));
        assertThrows(IllegalArgumentException.class, () -> m.predict(4));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> m.trainStep(1));
        assertEquals("model broadcast has no train entry", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.build(TestPrograms.broadcast(), "gen.Broadcast", 0));
    }

    @Test
    void instantiateRejectsClassesThatAreNotModels() {
        assertThrows(IllegalArgumentException.class, () -> CodeGenerator.instantiate(String.class, 1));
    }

    @Test
    void malformedProgramsAreRejectedAtEmitTime() {
        ProgramBuilder p = new ProgramBuilder("bad");
        Buffer x = p.f32("x", Role.INPUT, B, 2);
        Buffer y = p.i32("y", Role.TARGET, B);
        Buffer out = p.f32("out", Role.OUTPUT, B, 2);
        Buffer seq = p.f32("seq", Role.INPUT, 4, 2);
        List<KernelProgram> bad = List.of(
                new ProgramBuilder("e").entry("fit").build(),
                p.entry("predict", new Kernel.Pointwise(shape(B, 2), out, add(flat(x, shape(B, 2)), load(y, 1, 0)))).build(),
                new ProgramBuilder("s").entry("predict", new Kernel.Pointwise(shape(new Dim.Sym("time"), 2), out, load(seq, 2, 1))).build(),
                new ProgramBuilder("m").entry("predict", new Kernel.MatMul(x, x, out, false, false, new Dim.Sym("time"), Dim.of(2), Dim.of(2))).build());
        for (KernelProgram program : bad) {
            assertThrows(IllegalArgumentException.class, () -> JavaSourceEmitter.emit(program, "gen", "Bad"), program.toString());
            assertThrows(IllegalArgumentException.class, () -> BytecodeEmitter.emit(program, "gen/Bad"), program.toString());
        }
    }

    @Test
    void compileErrorsReportJavacsMessagesAndTheSource() {
        String source = "package gen; public class Broken { int f() { return \"no\"; } }";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InMemoryJavaCompiler.compile("gen.Broken", source));
        assertTrue(e.getMessage().contains("incompatible types"), e.getMessage());
        assertTrue(e.getMessage().contains(source), e.getMessage());
    }
}
