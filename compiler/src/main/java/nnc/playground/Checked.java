package nnc.playground;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nnc.check.Checker;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import nnc.diag.Span;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import nnc.runtime.LimitException;
import nnc.runtime.train.Json;
import nnc.syntax.Parser;

/**
 * A source the page sent, parsed and checked: its diagnostics (as the protocol's JSON), and its
 * {@link Compilation} when it has no errors and defines one model.
 */
record Checked(SourceFile source, List<Diagnostic> diagnostics, Compilation compilation) {
    /** The name diagnostics and generated code give the page's source. */
    static final String FILE_NAME = "playground.nn";
    /** The largest program source: 64 KiB. */
    static final int MAX_SOURCE = 64 * 1024;

    /** The {@code source} field of a request body, or {@link HttpFailure} 400 (absent) or 413 (too long). */
    static String sourceOf(Map<String, Object> body) {
        if (!(body.get("source") instanceof String s)) throw new HttpFailure(400, "the request needs a \"source\" string");
        int bytes = s.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SOURCE)
            throw HttpFailure.tooLarge("the program has " + bytes + " bytes; the playground takes programs of at most " + MAX_SOURCE + " bytes");
        return s;
    }

    /** Parses and checks {@code text}; never throws for a problem in the program. */
    static Checked of(String text) {
        SourceFile src = new SourceFile(FILE_NAME, text);
        List<Diagnostic> diagnostics;
        try {
            var result = Checker.check(Parser.parse(src), null);
            diagnostics = new ArrayList<>(result.diagnostics());
            if (!result.hasErrors() && result.models().isEmpty())
                diagnostics.add(Diagnostic.error(new Span(FILE_NAME, 1, 1, 1, 2), "the file defines no model"));
            if (!result.hasErrors() && result.models().size() > 1)
                diagnostics.add(Diagnostic.error(result.models().get(1).decl().nameSpan(), "the playground takes one model per program"));
        } catch (CompileError e) {
            diagnostics = e.diagnostics();
        }
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) return new Checked(src, diagnostics, null);
        try {
            return new Checked(src, diagnostics, Compilation.of(src));
        } catch (CompileError e) {
            return new Checked(src, e.diagnostics(), null);
        } catch (UserError | LimitException e) {
            return new Checked(src, List.of(Diagnostic.error(new Span(FILE_NAME, 1, 1, 1, 2), e.getMessage())), null);
        }
    }

    boolean ok() { return compilation != null; }

    /** The diagnostics as the protocol's JSON objects. */
    List<Json> diagnosticsJson() {
        return diagnostics.stream().map(d -> Json.object()
                .put("line", d.span().line()).put("column", d.span().column())
                .put("endLine", d.span().endLine()).put("endColumn", d.span().endColumn())
                .put("severity", d.isError() ? "error" : "warning")
                .put("message", d.message()).put("hint", d.hint())).toList();
    }

    /** The 400 answer for a source with errors: {@code {"diagnostics": [...]}}. */
    HttpFailure failure() {
        String first = diagnostics.isEmpty() ? "the program has errors" : diagnostics.get(0).message();
        return new HttpFailure(400, first, Json.object().put("error", first).put("diagnostics", diagnosticsJson()));
    }
}
