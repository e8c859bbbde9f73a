package nnc.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import nnc.diag.Span;
import nnc.optim.TrainConfig;
import nnc.runtime.data.DataSpec;
import nnc.syntax.Ast;
import nnc.syntax.Parser;

/**
 * The check stage: names, element types and shapes of every model of a program, and its train
 * block. Never throws for a user error: everything found is in {@link CheckResult#diagnostics()}.
 */
public final class Checker {
    private Checker() {}

    /**
     * @param models      the models without errors, in file order
     * @param diagnostics errors and warnings, in source order
     */
    public record CheckResult(List<CheckedModel> models, List<Diagnostic> diagnostics) {
        public CheckResult {
            models = List.copyOf(models);
            diagnostics = List.copyOf(diagnostics);
        }

        public boolean hasErrors() { return diagnostics.stream().anyMatch(Diagnostic::isError); }
    }

    public static CheckResult check(Ast.Program p) { return check(p, null); }

    /** @param time the length {@code --time} gives the sequence dimension, or null (see {@link TimeBinding}) */
    public static CheckResult check(Ast.Program p, Long time) {
        try {
            return checkProgram(p, time);
        } catch (StackOverflowError e) {
            String file = p.source() == null ? "<input>" : p.source().path();
            return new CheckResult(List.of(), List.of(Diagnostic.error(Span.point(file, 1, 1),
                    "the program is nested too deeply to check", "give parts of long expressions names: h = ...")));
        }
    }

    private static CheckResult checkProgram(Ast.Program p, Long timeFlag) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        TrainConfig train = TrainBlockReader.read(p.train(), diagnostics);
        boolean trainOk = diagnostics.stream().noneMatch(Diagnostic::isError);
        FnTable fns = new FnTable(p, diagnostics);
        boolean fnsOk = diagnostics.stream().noneMatch(Diagnostic::isError);
        List<CheckedModel> models = new ArrayList<>();
        Map<String, Ast.ModelDecl> byName = new HashMap<>();
        for (Ast.ModelDecl m : p.models()) {
            Ast.ModelDecl first = byName.putIfAbsent(m.name(), m);
            if (first != null) {
                diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, m.nameSpan(), "a model named '" + m.name() + "' is already defined",
                        "give each model its own name", List.of(new Diagnostic.Note(first.nameSpan(), "the first '" + m.name() + "' is here"))));
                continue;
            }
            new ModelChecker(p, m, fns, diagnostics, TimeBinding.of(timeFlag, train.data())).check(train).filter(x -> trainOk && fnsOk).ifPresent(models::add);
        }
        if (diagnostics.stream().noneMatch(Diagnostic::isError)) diagnostics.addAll(fns.unusedWarnings());
        diagnostics.sort(Comparator.comparingInt((Diagnostic d) -> d.span().line()).thenComparingInt(d -> d.span().column()));
        return new CheckResult(models, diagnostics);
    }

    /**
     * A data source written as in a train block ({@code csv("test.csv", label = y)},
     * {@code idx("images.gz", "labels.gz", scale = 1/255)}, {@code circles(n = 200)}), for command-line
     * flags; {@code origin} names the flag in diagnostics.
     *
     * @throws CompileError when the text is not a data source
     */
    public static DataSpec parseData(String text, String origin) {
        SourceFile src = new SourceFile(origin, "train {\n  data " + text + "\n}\n");
        List<Diagnostic> diagnostics = new ArrayList<>();
        TrainConfig c = TrainBlockReader.read(Parser.parse(src).train(), diagnostics);
        if (!diagnostics.isEmpty() || c.data() == null) throw new CompileError(diagnostics);
        return c.data();
    }
}
