package nnc.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import nnc.check.CheckedModel;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.driver.FrontEnd;
import nnc.syntax.SourceFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nnc check FILE...}: parse and check; print a summary of each model, or the diagnostics. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check .nn files: names, types and shapes.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the .nn files")
    List<Path> files;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        int failed = 0;
        for (Path file : files) {
            SourceFile src = FrontEnd.read(file);
            Sources.remember(src);
            try {
                var result = nnc.check.Checker.check(nnc.syntax.Parser.parse(src));
                for (Diagnostic d : result.diagnostics()) err.print(DiagnosticPrinter.render(d, src));
                if (result.diagnostics().stream().anyMatch(Diagnostic::isError)) { failed++; continue; }
                for (CheckedModel m : result.models()) out.print(ModelSummary.of(m));
            } catch (CompileError e) {
                for (Diagnostic d : e.diagnostics()) err.print(DiagnosticPrinter.render(d, src));
                failed++;
            }
        }
        err.flush();
        return failed == 0 ? 0 : 1;
    }
}
