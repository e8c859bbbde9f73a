package nnc.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.check.CheckedModel;
import nnc.driver.Compilation;
import nnc.types.Dim;
import nnc.types.TensorType;

/**
 * The front end on arbitrary bytes as a {@code .nn} file: read (UTF-8), parse and check; a model
 * that checks is lowered, differentiated, optimised, scheduled and memory-planned. Property: a
 * {@link nnc.diag.CompileError} or {@link nnc.driver.UserError} naming the file, or success.
 * Seeds: every sample, test model and diagnostic case ({@code FrontEndFuzzTestInputs/frontEnd}).
 */
class FrontEndFuzzTest {
    /** Models with a tensor larger than this are checked only: the back half plans their memory, not the bugs sought here. */
    static final long MAX_ELEMENTS = 1 << 20;

    private static final Path DIR = UserFacing.scratch("front-end");
    private static final Path FILE = DIR.resolve("fuzz.nn");

    static {
        FILE.toFile().deleteOnExit();
    }

    @FuzzTest
    void frontEnd(byte[] input) {
        if (input.length > UserFacing.MAX_INPUT) return;
        UserFacing.acceptOrRefuse(FILE.toString(), () -> {
            Files.write(FILE, input);
            compile(FILE);
        });
    }

    /** Reads, parses and checks {@code file}; lowers, differentiates, optimises, schedules and plans each {@link #small} model. */
    static void compile(Path file) {
        for (Compilation c : Compilation.all(Compilation.read(file), Compilation.Options.DEFAULT))
            if (small(c.model())) c.program();
    }

    /** Whether every typed expression (symbols such as {@code batch} counted as 1) has at most {@link #MAX_ELEMENTS} elements. */
    static boolean small(CheckedModel m) {
        for (TensorType t : m.types().values()) {
            double n = 1;
            for (Dim d : t.shape().dims()) n *= d.factor();
            if (n > MAX_ELEMENTS) return false;
        }
        for (CheckedModel.Param p : m.params()) {
            double n = 1;
            for (Dim d : p.type().shape().dims()) n *= d.factor();
            if (n > MAX_ELEMENTS) return false;
        }
        return true;
    }
}
