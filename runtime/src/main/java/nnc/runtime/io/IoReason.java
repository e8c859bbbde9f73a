package nnc.runtime.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The reason of an I/O error in words, for messages: Java's {@link AccessDeniedException} says only
 * the path ("out/m.safetensors"); this says "permission denied".
 */
public final class IoReason {
    private IoReason() {}

    /** "permission denied", "no such file or directory", "no space left on device", ... */
    public static String of(IOException e) {
        String reason = switch (e) {
            case AccessDeniedException a -> a.getReason() != null ? a.getReason() : "permission denied";
            case NoSuchFileException n -> n.getReason() != null ? n.getReason() : "no such file or directory";
            case NotDirectoryException n -> "not a directory";
            case FileAlreadyExistsException f -> f.getReason() != null ? f.getReason() : "the file already exists";
            case DirectoryNotEmptyException d -> "the directory is not empty";
            case FileSystemException f -> f.getReason() != null ? f.getReason() : f.getMessage();
            default -> e.getMessage();
        };
        if (reason == null || reason.isBlank()) reason = e.getClass().getSimpleName();
        return lowerFirst(reason);
    }

    /** {@link #of}, followed by the path the error was about when it is not {@code file} itself. */
    public static String of(IOException e, Path file) {
        String other = e instanceof FileSystemException f ? f.getFile() : null;
        String reason = of(e);
        return other == null || other.equals(file.toString()) ? reason : reason + " (" + other + ")";
    }

    private static String lowerFirst(String s) {
        // "No space left on device" -> "no space left on device"; keep acronyms ("EOF") as they are
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1)))
            return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
        return s;
    }
}
