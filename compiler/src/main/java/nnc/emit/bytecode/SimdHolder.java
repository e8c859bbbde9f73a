package nnc.emit.bytecode;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * The nested class {@code OWNER$Simd} of a generated class (or of one of its holders): the species
 * field and the vector loops of the kernel methods of {@code OWNER}, each a static method of the
 * kernel's name and parameters. Kernels call it only after choosing their vector loops, which a JVM
 * without {@code jdk.incubator.vector} never does, so there it is never loaded.
 */
final class SimdHolder {
    /** The simple name of the nested class. */
    static final String SIMPLE_NAME = "Simd";

    private final String name;
    private final ClassWriter writer;

    /**
     * Starts class {@code owner$Simd} in nest {@code nestHost}; {@code writer} computes frames
     * without loading classes. {@code sourceFile} names the {@code .nn} file for stack traces.
     */
    SimdHolder(String owner, String nestHost, String sourceFile, ClassWriter writer) {
        this.name = owner + "$" + SIMPLE_NAME;
        this.writer = writer;
        writer.visit(V21, ACC_FINAL | ACC_SUPER, name, null, "java/lang/Object", null);
        writer.visitSource(sourceFile, null);
        writer.visitNestHost(nestHost);
        writer.visitInnerClass(name, owner, SIMPLE_NAME, ACC_PRIVATE | ACC_STATIC | ACC_FINAL);
        writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "SPECIES", VectorBytecode.SPECIES_TYPE,
                "Ljdk/incubator/vector/VectorSpecies<Ljava/lang/Float;>;", null).visitEnd();
        MethodVisitor mv = writer.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitFieldInsn(GETSTATIC, VectorBytecode.FV, "SPECIES_256", VectorBytecode.SPECIES_TYPE);
        mv.visitFieldInsn(PUTSTATIC, name, "SPECIES", VectorBytecode.SPECIES_TYPE);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        MethodVisitor init = writer.visitMethod(ACC_PRIVATE, "<init>", "()V", null, null); // javac's default constructor of a private class
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
    }

    /** The internal name, {@code owner$Simd}. */
    String name() { return name; }

    ClassWriter writer() { return writer; }

    /** The class file, once every vector method is written. */
    byte[] finish() {
        writer.visitEnd();
        return writer.toByteArray();
    }
}
