package nnc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import nnc.check.CheckedModel;
import nnc.check.Checker;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.diag.SourceFile;
import nnc.diag.Span;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import nnc.syntax.Parser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nnc check FILE...}: parse and check; print a summary of each model, or the diagnostics. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check .nn files: names, types and shapes.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the .nn files")
    List<Path> files;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (summaries on stdout, diagnostics on stderr) or json (one line on stdout, for editors); default ${DEFAULT-VALUE}")
    String format;

    @picocli.CommandLine.Option(names = "--time", paramLabel = "N", description = "the length of the sequence dimension 'time' (default: the train data's sequence length)")
    Long time;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        if (!format.equals("text") && !format.equals("json"))
            throw Usage.error(spec, "--format must be text or json, not '" + format + "'");
        if (time != null) Usage.atLeast(spec, time, 1, "--time");
        boolean json = format.equals("json");
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        CheckJson report = new CheckJson();
        int failed = 0;
        for (Path file : files) {
            List<Diagnostic> diagnostics;
            List<CheckedModel> models = List.of();
            SourceFile src;
            try {
                src = Compilation.read(file);
            } catch (UserError e) {
                if (!json) throw e;
                report.unreadable(file.toString(), e.getMessage());
                failed++;
                continue;
            } catch (CompileError e) {
                if (!json) throw e;
                report.file(file.toString(), e.diagnostics(), List.of());
                failed++;
                continue;
            }
            Sources.remember(src);
            try {
                var result = Checker.check(Parser.parse(src), time);
                diagnostics = result.diagnostics();
                if (diagnostics.stream().noneMatch(Diagnostic::isError)) models = result.models();
                if (diagnostics.stream().noneMatch(Diagnostic::isError) && models.isEmpty()) // as nnc train says of it
                    diagnostics = append(diagnostics, Diagnostic.error(new Span(src.path(), 1, 1, 1, 2), "the file defines no model"));
            } catch (CompileError e) {
                diagnostics = e.diagnostics();
            }
            if (diagnostics.stream().anyMatch(Diagnostic::isError)) failed++;
            if (json) {
                report.file(file.toString(), diagnostics, models);
            } else {
                for (Diagnostic d : diagnostics) err.print(DiagnosticPrinter.render(d, src));
                for (CheckedModel m : models) out.print(ModelSummary.of(m));
            }
        }
        if (json) out.println(report);
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 1;
    }

    private static List<Diagnostic> append(List<Diagnostic> list, Diagnostic d) {
        List<Diagnostic> out = new ArrayList<>(list);
        out.add(d);
        return out;
    }
}
