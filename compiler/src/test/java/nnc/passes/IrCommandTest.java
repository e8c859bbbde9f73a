package nnc.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import nnc.cli.Main;
import nnc.ir.GraphPrinter;
import org.junit.jupiter.api.Test;

/** {@code nnc ir --after PASS} and {@code --print-after-all}. */
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

    @Test
    void printAfterAllListsStagesAndPassesInOrder() {
        Run r = nnc("ir", worked(), "--print-after-all");
        assertEquals(0, r.code(), r.err());
        int at = -1;
        for (String name : new String[] {"lower", "autodiff", "train", "constant-fold", "simplify", "relu-mask", "cse", "prune-gradients", "dce", "schedule"}) {
            int next = r.out().indexOf("// ---- after " + name + " ----");
            assertTrue(next > at, name + " missing or out of order");
            at = next;
        }
    }

    @Test
    void unknownStageNamesThePasses() {
        Run r = nnc("ir", worked(), "--after", "fold");
        assertEquals(2, r.code(), "a usage error");
        assertTrue(r.err().contains("unknown stage 'fold'") && r.err().contains("constant-fold, simplify"), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }
}
