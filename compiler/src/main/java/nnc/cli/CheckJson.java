package nnc.cli;

import java.util.ArrayList;
import java.util.List;
import nnc.check.CheckedModel;
import nnc.diag.Diagnostic;
import nnc.diag.Span;
import nnc.runtime.train.Json;

/**
 * {@code nnc check --format json}: one line of JSON for editors,
 * <pre>{"files":[{"file":"m.nn","ok":false,"models":["M"],"diagnostics":[
 *   {"severity":"error","file":"m.nn","line":6,"column":11,"end_line":6,"end_column":16,
 *    "message":"...","hint":"...","notes":[{"file":..,"line":..,"column":..,"end_line":..,"end_column":..,"message":..}]}]}]}</pre>
 * Lines and columns are 1-based; the end is the position after the span's last character. A
 * diagnostic about the file as a whole (unreadable, not found) has no position fields.
 */
final class CheckJson {
    private final List<Json> files = new ArrayList<>();

    void file(String path, List<Diagnostic> diagnostics, List<CheckedModel> models) {
        files.add(Json.object()
                .put("file", path)
                .put("ok", diagnostics.stream().noneMatch(Diagnostic::isError))
                .put("models", models.stream().map(m -> m.decl().name()).toList())
                .put("diagnostics", diagnostics.stream().map(CheckJson::diagnostic).toList()));
    }

    /** A file that could not be read at all. */
    void unreadable(String path, String message) {
        files.add(Json.object()
                .put("file", path)
                .put("ok", false)
                .put("models", List.of())
                .put("diagnostics", List.of(Json.object().put("severity", "error").put("file", path).put("message", message))));
    }

    private static Json diagnostic(Diagnostic d) {
        Json j = Json.object().put("severity", d.isError() ? "error" : "warning");
        position(j, d.span());
        j.put("message", d.message());
        if (d.hint() != null) j.put("hint", d.hint());
        j.put("notes", d.notes().stream().map(n -> position(Json.object(), n.span()).put("message", n.message())).toList());
        return j;
    }

    private static Json position(Json j, Span s) {
        return j.put("file", s.file()).put("line", s.line()).put("column", s.column())
                .put("end_line", s.endLine()).put("end_column", s.endColumn());
    }

    @Override public String toString() { return Json.object().put("files", files).toString(); }
}
