package nnc.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import nnc.driver.KernelPipeline;
import nnc.driver.Stage;
import nnc.ir.GraphPrinter;
import nnc.kir.KernelPrinter;
import nnc.kir.KernelProgram;
import nnc.passes.PassPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nnc ir FILE [--after STAGE|PASS] [--print-after-all]}: print the IR a stage or pass
 * produced, a Graph IR pass ({@link PassPipeline}) or a Kernel IR pass ({@link KernelPipeline}).
 */
@Command(name = "ir", mixinStandardHelpOptions = true,
        description = "Print the IR after a stage (lower, autodiff, train (default), passes, schedule, kernel-passes) or after one pass of the Graph IR or the Kernel IR.")
final class IrCommand implements Callable<Integer> {
    @Mixin ModelFile input;

    @Option(names = "--after", paramLabel = "STAGE", defaultValue = "train",
            description = "lower | autodiff | train | passes | schedule | kernel-passes, a Graph IR pass (constant-fold, simplify, relu-mask, cse, "
                    + "prune-gradients, dce) or a Kernel IR pass (matmul-views, pointwise-merging, epilogue-merging, memory-plan); "
                    + "schedule is the kernels before the Kernel IR passes, kernel-passes what the back ends get (default: ${DEFAULT-VALUE})")
    String after;

    @Option(names = "--print-after-all", description = "print the IR after every stage and every pass, in pipeline order")
    boolean printAfterAll;

    @Option(names = "--unsafe-math", description = "also apply simplification rules that are not exact under IEEE 754 (each one applied is reported)")
    boolean unsafeMath;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PassPipeline pipeline = PassPipeline.of(unsafeMath);
        KernelPipeline kernelPipeline = KernelPipeline.standard();
        String name = after.toLowerCase(Locale.ROOT);
        int passIndex = pipeline.names().indexOf(name), kernelPassIndex = kernelPipeline.names().indexOf(name);
        Stage stage = null;
        if (passIndex < 0 && kernelPassIndex < 0) {
            try {
                stage = Stage.parse(after);
            } catch (IllegalArgumentException e) {
                throw Usage.error(spec, e.getMessage());
            }
        }
        var stages = input.compilation(unsafeMath);
        var afterPasses = stages.afterEachPass();
        PrintWriter out = spec.commandLine().getOut();
        if (printAfterAll) {
            for (Stage s : List.of(Stage.LOWER, Stage.AUTODIFF, Stage.TRAIN))
                out.print(header(s.text()) + GraphPrinter.print(stages.at(s)));
            for (int i = 0; i < afterPasses.size(); i++)
                out.print(header(pipeline.names().get(i)) + GraphPrinter.print(afterPasses.get(i)));
            out.print(header(Stage.SCHEDULE.text()) + KernelPrinter.print(stages.scheduled()));
            List<KernelProgram> afterKernelPasses = stages.afterEachKernelPass();
            for (int i = 0; i < afterKernelPasses.size(); i++)
                out.print(header(kernelPipeline.names().get(i)) + KernelPrinter.print(afterKernelPasses.get(i)));
        } else if (passIndex >= 0) {
            out.print(GraphPrinter.print(afterPasses.get(passIndex)));
        } else if (kernelPassIndex >= 0) {
            out.print(KernelPrinter.print(stages.afterEachKernelPass().get(kernelPassIndex)));
        } else if (stage == Stage.SCHEDULE) {
            out.print(KernelPrinter.print(stages.scheduled()));
        } else if (stage == Stage.KERNEL_PASSES) {
            out.print(KernelPrinter.print(stages.program()));
        } else {
            out.print(GraphPrinter.print(stages.at(stage)));
        }
        out.flush();
        for (String note : stages.passNotes()) spec.commandLine().getErr().println("nnc ir: note: " + note);
        spec.commandLine().getErr().flush();
        return 0;
    }

    private static String header(String step) { return "// ---- after " + step + " ----\n"; }
}
