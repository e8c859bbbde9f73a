package nnc.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --simd on|off} on {@code nnc compile} and {@code nnc train}: what it changes in the output, and bad values. */
class SimdOptionTest {
    @TempDir Path tmp;

    @Test
    void compileWritesVectorLoopsByDefaultAndScalarLoopsWithSimdOff() throws Exception {
        String fashion = BenchCommandTest.sample("fashion_mlp").toString();
        assertEquals(0, BenchCommandTest.nnc("compile", fashion, "--emit", "java", "-o", tmp.resolve("on").toString()).code());
        assertEquals(0, BenchCommandTest.nnc("compile", fashion, "--emit", "java", "-o", tmp.resolve("off").toString(), "--simd", "off").code());
        String on = Files.readString(tmp.resolve("on/nnc/generated/FashionMlp.java"));
        String off = Files.readString(tmp.resolve("off/nnc/generated/FashionMlp.java"));
        assertTrue(on.contains("FloatVector.fromArray(SPECIES"), "simd on by default");
        assertFalse(off.contains("jdk.incubator.vector"), "scalar loops only");
    }

    @Test
    void trainAcceptsSimdAndThreadsAndRejectsBadValues() {
        String playground = BenchCommandTest.sample("playground").toString();
        var ok = BenchCommandTest.nnc("train", playground, "--epochs", "1", "--simd", "off", "--threads", "1", "--json");
        assertEquals(0, ok.code(), ok.err());
        var bad = BenchCommandTest.nnc("train", playground, "--simd", "fast");
        assertEquals(2, bad.code(), "a usage error");
        assertTrue(bad.err().contains("--simd must be on or off"), bad.err());
        var badThreads = BenchCommandTest.nnc("train", playground, "--threads", "-2");
        assertEquals(2, badThreads.code(), "a usage error");
        assertTrue(badThreads.err().contains("--threads must be between 1 and"), badThreads.err());
    }
}
