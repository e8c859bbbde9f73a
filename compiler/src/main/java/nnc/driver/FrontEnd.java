package nnc.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import nnc.check.CheckedModel;
import nnc.check.Checker;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.SourceFile;
import nnc.diag.Span;
import nnc.runtime.Limits;
import nnc.runtime.io.IoReason;
import nnc.syntax.Ast;
import nnc.syntax.Parser;

/** Reads a {@code .nn} file, parses and checks it: checked models, or a {@link CompileError}. {@link Compilation}'s first stage. */
final class FrontEnd {
    private FrontEnd() {}

    /** One checked model and the file's warnings. */
    record Loaded(CheckedModel model, List<Diagnostic> warnings) {}

    /** Reads a {@code .nn} file of at most {@link Limits#MAX_SOURCE_BYTES}; an endless one ({@code /dev/zero}) stops there. */
    static SourceFile read(Path file) {
        String shown = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(Limits.MAX_SOURCE_BYTES + 1);
            if (bytes.length > Limits.MAX_SOURCE_BYTES)
                throw new UserError(shown + ": error: the file is longer than " + Limits.count(Limits.MAX_SOURCE_BYTES)
                        + " bytes, the limit for a .nn source; is it really a model?");
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return new SourceFile(shown, text);
        } catch (CharacterCodingException e) {
            throw new CompileError(Diagnostic.error(new Span(shown, 1, 1, 1, 2), "the file is not valid UTF-8 text"));
        } catch (NoSuchFileException e) {
            throw new UserError(shown + ": error: no such file");
        } catch (IOException e) {
            throw new UserError(shown + ": error: cannot read the file: " + IoReason.of(e, file));
        }
    }

    /** Parses and checks {@code src} with {@code time} (null: from the train block) the length of the sequence dimension: every model, in file order. */
    static List<Loaded> loadAll(SourceFile src, Long time) {
        Ast.Program program = Parser.parse(src);
        Checker.CheckResult result = Checker.check(program, time);
        List<Diagnostic> errors = result.diagnostics().stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) throw new CompileError(result.diagnostics());
        List<Diagnostic> warnings = List.copyOf(result.diagnostics());
        if (result.models().isEmpty()) throw new CompileError(Diagnostic.error(new Span(src.path(), 1, 1, 1, 2), "the file defines no model"));
        return result.models().stream().map(m -> new Loaded(m, warnings)).toList();
    }
}
