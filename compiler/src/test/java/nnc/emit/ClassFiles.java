package nnc.emit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;

/** Reads facts out of class files for tests. */
final class ClassFiles {
    private ClassFiles() {}

    /** Bytecode length of each method with code, by {@code name + descriptor}, read with ASM's {@link ClassReader}. */
    /**
     * {@link #codeSizes(byte[])} of several class files by name: the top-level class's methods by
     * their own keys, a nested class's as {@code Simd.train0(…)} (its name after the last {@code $}).
     */
    static Map<String, Integer> codeSizes(Map<String, byte[]> classFiles) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> c : classFiles.entrySet()) {
            int nested = c.getKey().lastIndexOf('$');
            String prefix = nested < 0 ? "" : c.getKey().substring(nested + 1) + ".";
            codeSizes(c.getValue()).forEach((m, size) -> sizes.put(prefix + m, size));
        }
        return sizes;
    }

    static Map<String, Integer> codeSizes(byte[] classFile) {
        ClassReader r = new ClassReader(classFile);
        char[] buf = new char[r.getMaxStringLength()];
        int p = r.header + 6;                              // access, this_class, super_class
        p += 2 + 2 * r.readUnsignedShort(p);               // interfaces
        int fields = r.readUnsignedShort(p);
        p += 2;
        for (int k = 0; k < fields; k++) p = skipAttributes(r, p + 6);
        int methods = r.readUnsignedShort(p);
        p += 2;
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int k = 0; k < methods; k++) {
            String name = r.readUTF8(p + 2, buf) + r.readUTF8(p + 4, buf);
            int attributes = r.readUnsignedShort(p + 6);
            p += 8;
            for (int a = 0; a < attributes; a++) {
                if (r.readUTF8(p, buf).equals("Code")) sizes.put(name, r.readInt(p + 10)); // max_stack, max_locals, code_length
                p += 6 + r.readInt(p + 2);
            }
        }
        return sizes;
    }

    private static int skipAttributes(ClassReader r, int p) {
        int attributes = r.readUnsignedShort(p);
        p += 2;
        for (int a = 0; a < attributes; a++) p += 6 + r.readInt(p + 2);
        return p;
    }
}
