package nnc.emit.java;

import java.util.HashMap;
import java.util.Map;
import nnc.emit.NnLines;
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
 * both back ends. The lines come from the plan ({@link NnLines}): every entry of a kernel method
 * takes its kernel's line; in other methods (step and chunk methods) an entry whose code calls a
 * kernel method takes that kernel's line, and the other entries (field set-up, argument checks) are
 * dropped.
 */
final class NnLineTable {
    private NnLineTable() {}

    /** {@code classBytes} with {@code SourceFile} = {@code lines.file()} and its line numbers mapped to the {@code .nn} lines. */
    static byte[] remap(byte[] classBytes, NnLines lines) {
        ClassReader reader = new ClassReader(classBytes);
        Map<String, Map<Integer, Integer>> calls = kernelCallLines(reader, lines);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override public void visitSource(String source, String debug) { super.visitSource(lines.file(), debug); }

            @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                int kernelLine = lines.lineOf(name);
                Map<Integer, Integer> called = calls.getOrDefault(name + descriptor, Map.of());
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override public void visitLineNumber(int line, Label start) {
                        int nn = kernelLine > 0 ? kernelLine : called.getOrDefault(line, 0);
                        if (nn > 0) super.visitLineNumber(nn, start);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    /** Per method (name and descriptor): Java line → the {@code .nn} line of the first kernel method its code calls. */
    private static Map<String, Map<Integer, Integer>> kernelCallLines(ClassReader reader, NnLines lines) {
        Map<String, Map<Integer, Integer>> out = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                Map<Integer, Integer> byLine = out.computeIfAbsent(name + descriptor, k -> new HashMap<>());
                return new MethodVisitor(Opcodes.ASM9) {
                    private int javaLine;

                    @Override public void visitLineNumber(int line, Label start) { javaLine = line; }

                    @Override public void visitMethodInsn(int opcode, String owner, String callee, String desc, boolean isInterface) {
                        int nn = lines.lineOf(callee);
                        if (opcode == Opcodes.INVOKESTATIC && nn > 0) byLine.putIfAbsent(javaLine, nn);
                    }
                };
            }
        }, 0);
        return out;
    }
}
