package nnc.emit.bytecode;

import static org.objectweb.asm.Opcodes.INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * A method or constructor generated code calls: the owner it is called through and the descriptor
 * ASM's {@link Type} reads off the reflected method, so both are the method's own and a change of its
 * signature fails when this is made (at start-up), not as a {@code VerifyError} in generated code.
 */
record RuntimeCall(int opcode, String owner, String name, String descriptor, boolean onInterface) {
    /** Method {@code name(parameters)} of {@code owner} (public, or declared there), called through {@code owner}. */
    static RuntimeCall method(Class<?> owner, String name, Class<?>... parameters) {
        Method m = find(owner, name, parameters);
        int opcode = Modifier.isStatic(m.getModifiers()) ? INVOKESTATIC : owner.isInterface() ? INVOKEINTERFACE : INVOKEVIRTUAL;
        return new RuntimeCall(opcode, Type.getInternalName(owner), name, Type.getMethodDescriptor(m), owner.isInterface());
    }

    /** Constructor {@code owner(parameters)}: {@code INVOKESPECIAL <init>}. */
    static RuntimeCall constructor(Class<?> owner, Class<?>... parameters) {
        Constructor<?> c;
        try {
            c = owner.getDeclaredConstructor(parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("generated code calls a constructor of " + owner.getName() + " that does not exist", e);
        }
        return new RuntimeCall(INVOKESPECIAL, Type.getInternalName(owner), "<init>", Type.getConstructorDescriptor(c), false);
    }

    /** The descriptor of method {@code name(parameters)} of {@code owner} (for a method of the generated class itself). */
    static String descriptor(Class<?> owner, String name, Class<?>... parameters) {
        return Type.getMethodDescriptor(find(owner, name, parameters));
    }

    private static Method find(Class<?> owner, String name, Class<?>... parameters) {
        try {
            return owner.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            try {
                return owner.getDeclaredMethod(name, parameters);
            } catch (NoSuchMethodException again) {
                throw new IllegalStateException("generated code calls " + owner.getName() + "." + name + ", which does not exist", again);
            }
        }
    }

    /** The call instruction; its arguments (and receiver) are on the stack. */
    void invoke(MethodVisitor mv) {
        mv.visitMethodInsn(opcode, owner, name, descriptor, onInterface);
    }
}
