package nnc.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nnc.diag.SourceFile;

/** The source files read in this run, so diagnostics can quote their lines. */
final class Sources {
    private static final Map<String, SourceFile> FILES = new ConcurrentHashMap<>();

    private Sources() {}

    static void remember(SourceFile f) { FILES.put(f.path(), f); }

    static SourceFile lookup(String path) { return FILES.get(path); }
}
