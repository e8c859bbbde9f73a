package nnc.emit.java;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import nnc.emit.GeneratedClassLoader;
import nnc.emit.NnLines;
import nnc.runtime.GeneratedModel;

/**
 * Compiles one generated source file with the JDK's javac, entirely in memory, and loads it in a
 * fresh class loader whose parent is the runtime's loader (so the same class name can be compiled
 * again). Options: {@code --release 21 --add-modules jdk.incubator.vector -proc:none -g}; the class
 * path is {@code java.class.path} plus the location of the nnc runtime. Needs a JDK, not just a JRE.
 */
public final class InMemoryJavaCompiler {
    private InMemoryJavaCompiler() {}

    /**
     * Compiles {@code source}, which declares class {@code fqcn}, and loads that class.
     *
     * @throws IllegalStateException with javac's messages and the source when it does not compile,
     *                               or when no system Java compiler is available
     */
    public static Class<?> compile(String fqcn, String source) {
        return GeneratedClassLoader.define(fqcn, compileToBytes(fqcn, source));
    }

    /**
     * Compiles {@code source}, which declares class {@code fqcn}, to class files.
     *
     * @return class file bytes by binary class name (the class itself, and any nested classes)
     * @throws IllegalStateException as {@link #compile}
     */
    public static Map<String, byte[]> compileToBytes(String fqcn, String source) {
        return compileToBytes(fqcn, source, null);
    }

    /** As {@link #compileToBytes(String, String)}, with {@code SourceFile} and line numbers of the {@code .nn} file from {@code lines} (null: none). */
    public static Map<String, byte[]> compileToBytes(String fqcn, String source, NnLines lines) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("no Java compiler available: run nnc on a JDK, not a JRE");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, null, null);
        List<String> options = List.of("--add-modules", "jdk.incubator.vector", "-proc:none", "-g",
                "--release", "21", "-Xlint:-incubating", "-classpath", classPath());
        try (JavaFileManager files = new MemoryFileManager(standard, classes)) {
            Boolean ok = javac.getTask(null, files, diagnostics, options, null, List.of(new Source(fqcn, source))).call();
            if (!ok) throw new IllegalStateException("generated source of " + fqcn + " does not compile:\n"
                    + errors(diagnostics) + "\n--- source ---\n" + source);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory file manager failed", e);
        }
        Map<String, byte[]> out = new HashMap<>();
        classes.forEach((name, bytes) -> out.put(name, bytes.toByteArray()));
        if (lines != null && !lines.byMethod().isEmpty()) // no .java file exists to point at: name the model's lines, as the bytecode back end does
            out.replaceAll((name, bytes) -> NnLineTable.remap(bytes, lines));
        return out;
    }

    /** {@code java.class.path}, plus the runtime's own jar or folder when it is elsewhere (as in a Maven plugin). */
    static String classPath() {
        String cp = System.getProperty("java.class.path", "");
        try {
            var source = GeneratedModel.class.getProtectionDomain().getCodeSource();
            if (source == null) return cp;
            String runtime = Path.of(source.getLocation().toURI()).toString();
            return cp.isEmpty() ? runtime : cp + File.pathSeparator + runtime;
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return cp;
        }
    }

    private static String errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(null))
                .collect(Collectors.joining("\n"));
    }

    /** The source, held in a string. */
    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String fqcn, String text) {
            super(URI.create("string:///" + fqcn.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override public CharSequence getCharContent(boolean ignoreEncodingErrors) { return text; }
    }

    /** Collects class files in memory instead of writing them. */
    private static final class MemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, ByteArrayOutputStream> classes;

        MemoryFileManager(StandardJavaFileManager standard, Map<String, ByteArrayOutputStream> classes) {
            super(standard);
            this.classes = classes;
        }

        @Override public JavaFileObject getJavaFileForOutput(Location location, String className,
                                                             JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override public OutputStream openOutputStream() {
                    return classes.computeIfAbsent(className, n -> new ByteArrayOutputStream());
                }
            };
        }
    }
}
