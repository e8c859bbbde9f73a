package nnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The dispatchers the playground's compile runs are {@code instanceof} chains, not pattern switches:
 * each pattern switch's call site ({@code SwitchBootstraps.typeSwitch}) generates a class at its
 * first use, ~1 ms on a cold start (branch cold: 46 such sites were 17 % of the compile's samples).
 * Read off the class files, so a pattern switch written back into one of these methods fails here.
 */
class ColdPathSwitchesTest {
    /** Class (binary name) → the methods of it that the playground's compile runs and that dispatch on a type. */
    static final Map<String, Set<String>> COLD_PATH = Map.ofEntries(
            Map.entry("nnc.syntax.AstBuilder", Set.of("stmt", "exprAtDepth")),
            Map.entry("nnc.check.ConstEval", Set.of("eval")),
            Map.entry("nnc.check.ModelChecker", Set.of("statement")),
            Map.entry("nnc.check.LayerNaming", Set.of("countLayerCalls")),
            Map.entry("nnc.check.ExprTyper", Set.of("typeOf")),
            Map.entry("nnc.check.MetricResolver", Set.of("usesClassificationLoss")),
            Map.entry("nnc.ir.TypeRules", Set.of("infer")),
            Map.entry("nnc.ir.IrModule", Set.of("info", "runtimeDims")),
            Map.entry("nnc.lower.Lowering", Set.of("lower")),
            Map.entry("nnc.autodiff.VjpRules", Set.of("vjp")),
            Map.entry("nnc.passes.ConstantFold", Set.of("fold")),
            Map.entry("nnc.passes.Pattern", Set.of("match")),
            Map.entry("nnc.schedule.FusionPlan", Set.of("isUniform")),
            Map.entry("nnc.schedule.PointwiseMerging", Set.of("lanewise")),
            Map.entry("nnc.schedule.KernelSlots", Set.of("loadedBuffers", "scalarDomain")),
            Map.entry("nnc.schedule.EpilogueMerging", Set.of("pointwiseParts")),
            Map.entry("nnc.schedule.MergeBudget", Set.of("nodes")),
            Map.entry("nnc.kir.KExpr", Set.of("collectLoads")),
            Map.entry("nnc.kir.KernelAccess", Set.of("loads")),
            Map.entry("nnc.kir.KernelProgram$Lines", Set.of("mergedLine")),
            Map.entry("nnc.kir.Kernel$WithEpilogue", Set.of("<init>")),
            Map.entry("nnc.emit.KernelMethod", Set.of("checkLoadTypes")),
            Map.entry("nnc.emit.KernelDispatch", Set.of("writeScalar", "writeVector")),
            Map.entry("nnc.emit.LoopNest", Set.of("collectOneHotAxes")),
            Map.entry("nnc.emit.VectorPlan", Set.of("varies", "lazilyGuarded", "accepts")),
            Map.entry("nnc.emit.bytecode.ExprBytecode", Set.of("push")),
            Map.entry("nnc.emit.bytecode.VectorBytecode", Set.of("push")),
            Map.entry("nnc.runtime.Init", Set.of("encode")));

    @Test
    void theCompilesDispatchersLinkNoPatternSwitch() throws IOException {
        List<String> switches = new ArrayList<>();
        for (var e : COLD_PATH.entrySet()) {
            Set<String> methods = new TreeSet<>(methods(e.getKey()));
            assertTrue(methods.containsAll(e.getValue()), e.getKey() + " lacks one of " + e.getValue() + " (renamed?): " + methods);
            for (String m : typeSwitchSites(e.getKey()).keySet()) if (e.getValue().contains(m)) switches.add(e.getKey() + "." + m);
        }
        assertEquals(List.of(), switches, "pattern switches on the cold compile's path");
    }

    @Test
    void theReaderFindsAPatternSwitchWhereThereIsOne() throws IOException {
        assertEquals(Map.of("patternSwitch", 1), typeSwitchSites(ColdPathSwitchesTest.class.getName()));
        assertEquals(5, patternSwitch("seven") + patternSwitch(2)); // 2 + 3: it runs as written
    }

    /** A pattern switch, for the reader to find. */
    private static int patternSwitch(Object o) {
        return switch (o) {
            case String s -> s.length() - 3;
            case Integer i -> i + 1;
            default -> 0;
        };
    }

    /** Method name → number of {@code typeSwitch} call sites in it. */
    private static Map<String, Integer> typeSwitchSites(String className) throws IOException {
        Map<String, Integer> sites = new HashMap<>();
        read(className).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, Handle bsm, Object... args) {
                        if (bsm.getOwner().equals("java/lang/runtime/SwitchBootstraps")) sites.merge(name, 1, Integer::sum);
                    }
                };
            }
        }, 0);
        return sites;
    }

    private static List<String> methods(String className) throws IOException {
        List<String> names = new ArrayList<>();
        read(className).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                names.add(name);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return names;
    }

    private static ClassReader read(String className) throws IOException {
        try (InputStream in = ColdPathSwitchesTest.class.getClassLoader().getResourceAsStream(className.replace('.', '/') + ".class")) {
            if (in == null) throw new IOException("no class file for " + className);
            return new ClassReader(in);
        }
    }
}
