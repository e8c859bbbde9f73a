package nnc.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nnc.check.CheckedModel;
import nnc.check.Checker;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.runtime.Limits;
import nnc.syntax.Ast;
import nnc.syntax.Parser;
import nnc.syntax.SourceFile;
import nnc.syntax.Span;

/** Reads a {@code .nn} file, parses and checks it: a checked model, or a {@link CompileError}. */
public final class FrontEnd {
    private FrontEnd() {}

    /** The result: the checked model and any warnings. */
    public record Loaded(SourceFile source, CheckedModel model, List<Diagnostic> warnings) {}

    /** Reads a {@code .nn} file of at most {@link Limits#MAX_SOURCE_BYTES}; an endless one ({@code /dev/zero}) stops there. */
    public static SourceFile read(Path file) {
        String shown = file.toString();
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(Limits.MAX_SOURCE_BYTES + 1);
            if (bytes.length > Limits.MAX_SOURCE_BYTES)
                throw new UserError(shown + ": error: the file is longer than " + Limits.count(Limits.MAX_SOURCE_BYTES)
                        + " bytes, the limit for a .nn source; is it really a model?");
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return new SourceFile(shown, text);
        } catch (CharacterCodingException e) {
            throw new CompileError(Diagnostic.error(new Span(shown, 1, 1, 1, 2), "the file is not valid UTF-8 text"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(shown + ": error: no such file");
        } catch (IOException e) {
            throw new UserError(shown + ": error: cannot read the file: " + nnc.runtime.io.IoReason.of(e, file));
        }
    }

    /** Parses and checks {@code src}; {@code modelName} picks a model when the file has several (null: the only one). */
    public static Loaded load(SourceFile src, String modelName) { return load(src, modelName, null); }

    /** As {@link #load(SourceFile, String)}, with {@code time} (null: from the train block) the length of the sequence dimension. */
    public static Loaded load(SourceFile src, String modelName, Long time) {
        List<Loaded> all = loadAll(src, time);
        List<CheckedModel> models = all.stream().map(Loaded::model).toList();
        List<Diagnostic> warnings = all.get(0).warnings();
        if (modelName == null) {
            if (models.size() > 1)
                throw new UserError(src.path() + ": error: the file defines " + models.size() + " models ("
                        + String.join(", ", models.stream().map(m -> m.decl().name()).toList()) + "): pick one with --model NAME");
            return new Loaded(src, models.get(0), warnings);
        }
        for (CheckedModel m : models) if (m.decl().name().equals(modelName)) return new Loaded(src, m, warnings);
        throw new UserError(src.path() + ": error: no model named '" + modelName + "'");
    }

    /** Parses and checks {@code src}: every model it defines, in file order, each with the file's warnings. */
    public static List<Loaded> loadAll(SourceFile src) { return loadAll(src, null); }

    /** As {@link #loadAll(SourceFile)}, with {@code time} (null: from the train block) the length of the sequence dimension. */
    public static List<Loaded> loadAll(SourceFile src, Long time) {
        Ast.Program program = Parser.parse(src);
        Checker.CheckResult result = Checker.check(program, time);
        List<Diagnostic> errors = result.diagnostics().stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) throw new CompileError(result.diagnostics());
        List<Diagnostic> warnings = List.copyOf(result.diagnostics());
        if (result.models().isEmpty()) throw new CompileError(Diagnostic.error(new Span(src.path(), 1, 1, 1, 2), "the file defines no model"));
        return result.models().stream().map(m -> new Loaded(src, m, warnings)).toList();
    }
}
