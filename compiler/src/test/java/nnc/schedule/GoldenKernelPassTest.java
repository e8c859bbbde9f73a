package nnc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nnc.driver.KernelPipeline;
import nnc.ir.IrModule;
import nnc.kir.KernelPass;
import nnc.kir.KernelPrinter;
import nnc.kir.KernelProgram;
import nnc.passes.FileCheck;
import nnc.passes.SampleModules;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Data-driven golden tests of the Kernel IR passes: each {@code kernel-passes/<pass>/*.nn} resource
 * is a small model with {@code // CHECK:}, {@code // CHECK-NEXT:} and {@code // CHECK-NOT:} lines
 * ({@link FileCheck}). The model is built to the Graph IR pipeline's output, scheduled and run
 * through the kernel passes before the one named by its folder ({@link KernelPipeline#standard()});
 * the program after that pass, printed ({@link KernelPrinter}), must satisfy the CHECK lines.
 */
class GoldenKernelPassTest {
    static Path root() throws URISyntaxException { return Path.of(GoldenKernelPassTest.class.getResource("/kernel-passes").toURI()); }

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".nn")).sorted().toList()) {
                String pass = f.getParent().getFileName().toString();
                tests.add(DynamicTest.dynamicTest(pass + "/" + f.getFileName(), () -> runGolden(pass, f)));
            }
        }
        return tests.stream();
    }

    @Test
    void everyKernelPassHasAGoldenFolder() throws Exception {
        for (String name : KernelPipeline.standard().names()) {
            Path dir = root().resolve(name);
            assertTrue(Files.isDirectory(dir), "no golden folder for kernel pass " + name);
            try (Stream<Path> files = Files.list(dir)) { assertTrue(files.filter(p -> p.toString().endsWith(".nn")).count() >= 2, name); }
        }
    }

    /** The program {@code passName} gets in the standard pipeline, and what it makes of it. */
    static KernelProgram[] beforeAndAfter(String passName, IrModule module) {
        KernelPipeline pipeline = KernelPipeline.standard();
        int at = pipeline.names().indexOf(passName);
        if (at < 0) throw new AssertionError("no kernel pass named " + passName + " in " + pipeline.names());
        KernelProgram in = pipeline.schedule(module);
        for (KernelPass p : pipeline.passes().subList(0, at)) in = p.run(in);
        return new KernelProgram[] {in, pipeline.passes().get(at).run(in)};
    }

    static void runGolden(String passName, Path file) throws IOException {
        String text = Files.readString(file);
        KernelProgram[] io = beforeAndAfter(passName, SampleModules.stagesOf(file).optimized());
        String printed = KernelPrinter.print(io[1]);
        var directives = FileCheck.directives(text);
        assertFalse(directives.isEmpty(), file + " has no CHECK lines");
        assertEquals(List.of(), FileCheck.check(directives, printed),
                file + "\n--- before " + passName + " ---\n" + KernelPrinter.print(io[0]) + "--- after ---\n" + printed);
    }
}
