package nnc.playground;

import java.util.Map;
import nnc.runtime.train.Json;

/** {@code /api/check}, {@code /api/render} and {@code /api/code}: the program as text, as controls and as generated Java. */
final class SourceApi {
    private SourceApi() {}

    /** Diagnostics, and the controls' view of the program when it has the playground's form. */
    static Json check(Map<String, Object> body) {
        Checked c = Checked.of(Checked.sourceOf(body));
        Json answer = Json.object().put("ok", c.ok()).put("diagnostics", c.diagnosticsJson());
        if (c.ok()) {
            ProgramReader.View view = ProgramReader.read(c.compilation());
            answer.put("program", view.program() == null ? null : view.program().json()).put("why", view.why());
        } else {
            answer.put("program", null).put("why", "the program has errors");
        }
        if (body.get("seq") instanceof Number seq) answer.put("seq", seq);
        return answer;
    }

    /** The canonical source of a PROGRAM. */
    static Json render(Map<String, Object> body) {
        Program p;
        try {
            p = Program.fromJson(body.get("program"));
        } catch (IllegalArgumentException e) {
            throw new HttpFailure(400, e.getMessage());
        }
        return Json.object().put("source", ProgramRenderer.render(p));
    }

    /** The generated Java source and its kernels, or 400 with the diagnostics. */
    static Json code(Map<String, Object> body) {
        Checked c = Checked.of(Checked.sourceOf(body));
        if (!c.ok()) throw c.failure();
        return CodeView.of(c.compilation());
    }
}
