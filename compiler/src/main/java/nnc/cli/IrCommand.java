package nnc.cli;

import java.util.concurrent.Callable;
import nnc.check.TrainConfig;
import nnc.driver.Stage;
import nnc.driver.TrainStepBuilder;
import nnc.ir.GraphPrinter;
import nnc.schedule.KernelPrinter;
import nnc.schedule.Scheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nnc ir FILE [--after STAGE]}: print the IR a stage produced. */
@Command(name = "ir", mixinStandardHelpOptions = true, description = "Print the IR after a stage: lower, autodiff, train (default) or schedule.")
final class IrCommand implements Callable<Integer> {
    @Mixin ModelFile input;

    @Option(names = "--after", paramLabel = "STAGE", defaultValue = "train", description = "lower | autodiff | train | schedule (default: ${DEFAULT-VALUE})")
    String after;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Stage stage;
        try {
            stage = Stage.parse(after);
        } catch (IllegalArgumentException e) {
            throw new nnc.driver.UserError("nnc ir: error: " + e.getMessage());
        }
        var loaded = input.load();
        TrainConfig cfg = loaded.model().train() == null ? TrainConfig.defaults() : loaded.model().train();
        var stages = TrainStepBuilder.build(loaded.model(), cfg);
        String text = stage == Stage.SCHEDULE ? KernelPrinter.print(Scheduler.schedule(stages.optimized())) : GraphPrinter.print(stages.at(stage));
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
