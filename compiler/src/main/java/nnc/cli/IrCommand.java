package nnc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import nnc.driver.Stage;
import nnc.ir.GraphPrinter;
import nnc.passes.PassPipeline;
import nnc.schedule.KernelPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnc ir FILE [--after STAGE|PASS] [--print-after-all]}: print the IR a stage or pass produced. */
@Command(name = "ir", mixinStandardHelpOptions = true,
        description = "Print the IR after a stage (lower, autodiff, train (default), passes, schedule) or after one pass of the middle end.")
final class IrCommand implements Callable<Integer> {
    @Mixin ModelFile input;

    @Option(names = "--after", paramLabel = "STAGE", defaultValue = "train",
            description = "lower | autodiff | train | passes | schedule, or a pass: constant-fold | simplify | cse | prune-gradients | dce (default: ${DEFAULT-VALUE})")
    String after;

    @Option(names = "--print-after-all", description = "print the IR after every stage and every pass, in pipeline order")
    boolean printAfterAll;

    @Option(names = "--unsafe-math", description = "also apply simplification rules that are not exact under IEEE 754 (each one applied is reported)")
    boolean unsafeMath;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PassPipeline pipeline = PassPipeline.of(unsafeMath);
        Stage stage = null;
        int passIndex = pipeline.names().indexOf(after.toLowerCase(java.util.Locale.ROOT));
        if (passIndex < 0) {
            try {
                stage = Stage.parse(after);
            } catch (IllegalArgumentException e) {
                throw Usage.error(spec, e.getMessage());
            }
        }
        var stages = input.compilation(unsafeMath);
        var afterPasses = stages.afterEachPass();
        var optimized = stages.optimized();
        PrintWriter out = spec.commandLine().getOut();
        if (printAfterAll) {
            for (Stage s : java.util.List.of(Stage.LOWER, Stage.AUTODIFF, Stage.TRAIN))
                out.print("// ---- after " + s.text() + " ----\n" + GraphPrinter.print(stages.at(s)));
            for (int i = 0; i < afterPasses.size(); i++)
                out.print("// ---- after " + pipeline.names().get(i) + " ----\n" + GraphPrinter.print(afterPasses.get(i)));
            out.print("// ---- after schedule ----\n" + KernelPrinter.print(stages.program()));
        } else if (passIndex >= 0) {
            out.print(GraphPrinter.print(afterPasses.get(passIndex)));
        } else if (stage == Stage.SCHEDULE) {
            out.print(KernelPrinter.print(stages.program()));
        } else {
            out.print(GraphPrinter.print(stage == Stage.PASSES ? optimized : stages.at(stage)));
        }
        out.flush();
        for (String note : stages.passNotes()) spec.commandLine().getErr().println("nnc ir: note: " + note);
        spec.commandLine().getErr().flush();
        return 0;
    }
}
