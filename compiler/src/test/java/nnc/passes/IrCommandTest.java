package nnc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import nnc.cli.Main;
import nnc.driver.Backend;
import nnc.driver.KernelPipeline;
import nnc.ir.GraphPrinter;
import nnc.ir.IrModule;
import nnc.kir.KernelPrinter;
import nnc.kir.KernelProgram;
import org.junit.jupiter.api.Test;

/** {@code nnc ir --after PASS} (of the Graph IR or the Kernel IR) and {@code --print-after-all}. */
class IrCommandTest {
    record Run(int code, String out, String err) {}

    static Run nnc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static String worked() { return SampleModules.samplesDir().resolve("worked.nn").toString(); }

    @Test
    void afterEachPassPrintsThatPassesResult() {
        var trained = SampleModules.stages("worked").trained();
        var modules = PassPipeline.standard().runAll(trained, new PassReport());
        for (int i = 0; i < modules.size(); i++) {
            String pass = PassPipeline.standard().names().get(i);
            Run r = nnc("ir", worked(), "--after", pass);
            assertEquals(0, r.code(), pass + ": " + r.err());
            assertEquals(GraphPrinter.print(modules.get(i)), r.out(), pass);
        }
        // worked.nn's autodiff seeds with a broadcast 1 and takes pow(x, 2 − 1): simplify removes both
        assertTrue(nnc("ir", worked(), "--after", "train").out().contains("pow"), "train stage");
        Run simplified = nnc("ir", worked(), "--after", "simplify");
        assertEquals(1, simplified.out().lines().filter(l -> l.contains(" = pow ")).distinct().count(), simplified.out());
    }

    /** Every kernel pass of the pipeline (derived from its list), {@code schedule} and {@code kernel-passes}, on two samples. */
    @Test
    void afterEachKernelPassPrintsThatPassesResult() {
        for (String sample : List.of("worked", "fashion_mlp")) {
            String file = SampleModules.samplesDir().resolve(sample + ".nn").toString();
            IrModule optimized = SampleModules.stages(sample).optimized();
            KernelPipeline pipeline = KernelPipeline.standard();
            KernelProgram scheduled = pipeline.schedule(optimized);
            List<KernelProgram> programs = pipeline.runAll(scheduled);
            assertEquals(KernelPrinter.print(scheduled), nnc("ir", file, "--after", "schedule").out(), sample + ": schedule");
            for (int i = 0; i < programs.size(); i++) {
                String pass = pipeline.names().get(i);
                Run r = nnc("ir", file, "--after", pass);
                assertEquals(0, r.code(), pass + ": " + r.err());
                assertEquals(KernelPrinter.print(programs.get(i)), r.out(), sample + ": " + pass);
            }
            String backEnds = KernelPrinter.print(Backend.program(optimized));
            assertEquals(backEnds, nnc("ir", file, "--after", "kernel-passes").out(), sample + ": kernel-passes is what the back ends get");
            assertEquals(backEnds, KernelPrinter.print(programs.get(programs.size() - 1)), sample + ": the last pass's result");
        }
        // fashion_mlp's optimiser updates join their GEMMs and sums: epilogue merging changes the program
        String fashion = SampleModules.samplesDir().resolve("fashion_mlp.nn").toString();
        String merged = nnc("ir", fashion, "--after", "epilogue-merging").out();
        assertTrue(!merged.equals(nnc("ir", fashion, "--after", "pointwise-merging").out()) && merged.contains(" then "), merged);
    }

    /** The steps {@code --print-after-all} prints, in order: derived from the stages and both pass lists. */
    static List<String> allSteps() {
        List<String> steps = new ArrayList<>(List.of("lower", "autodiff", "train"));
        steps.addAll(PassPipeline.standard().names());
        steps.add("schedule");
        steps.addAll(KernelPipeline.standard().names());
        return steps;
    }

    @Test
    void printAfterAllListsStagesAndPassesInOrder() {
        Run r = nnc("ir", worked(), "--print-after-all");
        assertEquals(0, r.code(), r.err());
        List<String> steps = allSteps();
        assertTrue(steps.containsAll(List.of("constant-fold", "simplify", "relu-mask", "cse", "prune-gradients", "dce",
                "pointwise-merging", "epilogue-merging", "memory-plan")), steps.toString());
        String[] sections = r.out().split("// ---- after ", -1);
        assertEquals(steps.size() + 1, sections.length, "one section per step");
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i), section = sections[i + 1];
            assertTrue(section.startsWith(step + " ----\n"), "section " + i + " is " + step);
            // each section is what --after that step prints
            assertEquals(nnc("ir", worked(), "--after", step).out(), section.substring(step.length() + 6), step);
        }
    }

    @Test
    void unknownStageNamesThePasses() {
        Run r = nnc("ir", worked(), "--after", "fold");
        assertEquals(2, r.code(), "a usage error");
        assertTrue(r.err().contains("unknown stage 'fold'") && r.err().contains("constant-fold, simplify"), r.err());
        for (String step : allSteps()) assertTrue(r.err().contains(step), step + " not listed: " + r.err());
        assertTrue(r.err().contains("kernel-passes"), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }
}
