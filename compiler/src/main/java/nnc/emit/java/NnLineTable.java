package nnc.emit.java;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Points the classes that the Java back end compiles in memory at the {@code .nn} file instead of a
 * generated {@code .java} file that exists nowhere: {@code SourceFile} becomes the model's file and
 * every {@code LineNumberTable} entry the {@code .nn} line of the kernel it belongs to, as the
 * bytecode back end writes them, so a stack trace or profiler reads {@code train0(model.nn:5)} on
 * both back ends. The lines come from the source itself: each kernel method's comment names
 * {@code from FILE:LINE} (FILE as {@link JavaText#javadoc} wrote it); its lines, and the lines that
 * call it, take that line. Lines outside
 * kernels (field set-up, argument checks) are dropped from the table.
 */
final class NnLineTable {
    private static final Pattern FROM = Pattern.compile("^\\s*\\* from (.+):(\\d+)\\s*$");
    private static final Pattern METHOD = Pattern.compile("^\\s*private static void (\\w+)\\(");
    private static final Pattern CALL = Pattern.compile("\\b(\\w+)\\(");
    private static final Pattern MEMBER_START = Pattern.compile("^ {4}(/\\*\\*|@|public |private |protected |static |final )");

    private NnLineTable() {}

    /** The {@code .nn} file named by the source's kernel comments (as escaped there), or null when none names one. */
    static String file(String source) {
        for (String line : source.split("\n", -1)) {
            Matcher m = FROM.matcher(line);
            if (m.matches()) return m.group(1);
        }
        return null;
    }

    /** Java line (1-based) → {@code .nn} line, for the lines of each kernel method and the lines calling one. */
    static Map<Integer, Integer> lines(String source) {
        String[] lines = source.split("\n", -1);
        Map<String, Integer> kernelLine = new HashMap<>();
        Map<Integer, Integer> out = new HashMap<>();
        int pending = 0, current = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher from = FROM.matcher(lines[i]);
            if (from.matches()) {
                pending = Integer.parseInt(from.group(2));
                continue;
            }
            Matcher method = METHOD.matcher(lines[i]);
            if (method.find() && pending > 0) {
                kernelLine.put(method.group(1), pending);
                current = pending;
                pending = 0;
            } else if (MEMBER_START.matcher(lines[i]).find()) {
                current = 0; // a member that is not a kernel method
            }
            if (current > 0) out.put(i + 1, current);
        }
        for (int i = 0; i < lines.length; i++) { // calls of kernels (the entry methods, loop bodies)
            if (out.containsKey(i + 1) && !lines[i].contains("(int s = 0;")) continue;
            Matcher call = CALL.matcher(lines[i]);
            while (call.find())
                if (kernelLine.containsKey(call.group(1)) && !METHOD.matcher(lines[i]).find()) {
                    out.put(i + 1, kernelLine.get(call.group(1)));
                    break;
                }
        }
        return out;
    }

    /** {@code classBytes} with {@code SourceFile} = {@code file} and its line numbers mapped by {@code lines} (unmapped ones dropped). */
    static byte[] remap(byte[] classBytes, String file, Map<Integer, Integer> lines) {
        ClassReader reader = new ClassReader(classBytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override public void visitSource(String source, String debug) { super.visitSource(file, debug); }

            @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override public void visitLineNumber(int line, Label start) {
                        Integer nn = lines.get(line);
                        if (nn != null) super.visitLineNumber(nn, start);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
