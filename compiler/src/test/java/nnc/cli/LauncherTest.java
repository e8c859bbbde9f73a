package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./nnc} launcher, run as a subprocess from a copy of the repository's scripts: its
 * stderr filter passes every byte but the JDK's incubator notice, in order, and it exits with
 * java's status; on JDK 25 and newer it makes its class-data archive once per build and JDK, quietly.
 * The installed launcher (the tarball's {@code bin/nnc}) keeps its archive in the user's cache folder.
 */
class LauncherTest {
    @TempDir Path tmp;

    record Outcome(int code, byte[] out, byte[] err) {
        String errText() { return new String(err, StandardCharsets.UTF_8); }
    }

    /** A directory laid out as the repository, with the real launcher and a compiler/target/nnc.jar newer than its "sources". */
    private Path root(Path jar) throws IOException {
        Path repo = ExitCodesTest.samples().getParent(), root = tmp.resolve("repo");
        Files.createDirectories(root.resolve("scripts"));
        for (String d : new String[] {"grammar", "runtime", "compiler/target"}) Files.createDirectories(root.resolve(d));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.copy(repo.resolve("nnc"), root.resolve("nnc"));
        for (String s : new String[] {"jdk.sh", "cds.sh", "cold-jit.txt"}) Files.copy(repo.resolve("scripts/" + s), root.resolve("scripts/" + s));
        Path target = root.resolve("compiler/target/nnc.jar");
        Files.copy(jar, target);
        assertTrue(target.toFile().setLastModified(System.currentTimeMillis() + 60_000), "newer than the sources: no rebuild");
        return root;
    }

    /** A jar whose manifest puts this test run's class path on the class path: the CLI as built. */
    private Path classPathJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        List<String> urls = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
            urls.add(Path.of(e).toAbsolutePath().toUri().toString());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path jar = tmp.resolve("cp.jar");
        try (OutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
        return jar;
    }

    private static Outcome run(Path root, Map<String, String> env, String... args) throws Exception {
        return run(root, "nnc", env, args);
    }

    private static Outcome run(Path root, String launcher, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve(launcher).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = root.resolve("out.bin"), err = root.resolve("err.bin");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher finished");
        return new Outcome(p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err));
    }

    @Test
    void theStderrFilterIsBinarySafeOrderPreservingAndKeepsJavasStatus() throws Exception {
        // a stand-in JDK whose java prints the incubator notice among other lines, one with a NUL byte
        Path jdk = tmp.resolve("jdk/bin");
        Files.createDirectories(jdk);
        Files.writeString(jdk.resolve("java"), """
                #!/usr/bin/env bash
                case "$*" in *-XshowSettings*) echo '    java.specification.version = 25' >&2; exit 0;; esac
                printf 'out 1\\n'
                printf 'WARNING: Using incubator modules: jdk.incubator.vector\\n' >&2
                printf 'data.csv: row 2: \\x27a\\0b\\x27 is not a number\\n' >&2
                printf 'out 2\\n'
                printf 'second line\\n' >&2
                printf 'WARNING: something else the user must see\\n' >&2
                exit 3
                """);
        Files.writeString(jdk.resolve("javac"), "#!/bin/sh\nexit 0\n");
        for (String f : new String[] {"java", "javac"}) Files.setPosixFilePermissions(jdk.resolve(f), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = root(Files.writeString(tmp.resolve("empty.jar"), ""));
        Outcome o = run(root, Map.of("JAVA_HOME", jdk.getParent().toString()), "anything");
        assertEquals(3, o.code(), "java's own status: " + o.errText());
        assertArrayEquals("out 1\nout 2\n".getBytes(StandardCharsets.UTF_8), o.out());
        assertArrayEquals("data.csv: row 2: 'a\0b' is not a number\nsecond line\nWARNING: something else the user must see\n"
                .getBytes(StandardCharsets.UTF_8), o.err(), o.errText());
    }

    @Test
    void theRealCliThroughTheLauncher() throws Exception {
        Path root = root(classPathJar());
        String java = Path.of(System.getProperty("java.home")).toString();
        Outcome ok = run(root, Map.of("JAVA_HOME", java), "check", ExitCodesTest.samples().resolve("playground.nn").toString());
        assertEquals(0, ok.code(), ok.errText());
        assertTrue(new String(ok.out(), StandardCharsets.UTF_8).contains("trainable parameters"));
        assertEquals("", ok.errText(), "the incubator notice is filtered out");
        Outcome usage = run(root, Map.of("JAVA_HOME", java), "train", ExitCodesTest.samples().resolve("playground.nn").toString(), "--frobnicate");
        assertEquals(2, usage.code());
        assertTrue(usage.errText().startsWith("nnc train: error: unknown option: '--frobnicate'\n"), usage.errText());
        Outcome input = run(root, Map.of("JAVA_HOME", java), "check", tmp.resolve("missing.nn").toString());
        assertEquals(1, input.code());
        assertFalse(input.errText().contains("WARNING"), input.errText());
    }

    @Test
    void theClassDataArchiveIsMadeOncePerBuildAndJdkAndUsedQuietly() throws Exception {
        String java = Path.of(System.getProperty("java.home")).toString();
        if (Runtime.version().feature() < 25) return; // the launcher makes the archive on JDK 25 and newer only
        Path root = root(classPathJar());
        long now = System.currentTimeMillis(); // a build that is over: sources, then the jar, both in the past
        assertTrue(root.resolve("pom.xml").toFile().setLastModified(now - 120_000) && root.resolve("compiler/target/nnc.jar").toFile().setLastModified(now - 60_000));
        Files.createDirectories(root.resolve("samples"));
        Files.copy(ExitCodesTest.samples().resolve("playground.nn"), root.resolve("samples/playground.nn"));
        Path archive = root.resolve("compiler/target/nnc.jsa"), stamp = root.resolve("compiler/target/nnc.jsa.jdk");
        String playground = ExitCodesTest.samples().resolve("playground.nn").toString();

        Outcome first = run(root, Map.of("JAVA_HOME", java), "check", playground);
        assertEquals(0, first.code(), first.errText());
        assertEquals("", first.errText(), "making the archive is silent");
        assertTrue(Files.size(archive) > 0, "the training run left an archive");
        assertTrue(Files.readString(stamp).startsWith(java + "/bin/java "), Files.readString(stamp));

        long made = Files.getLastModifiedTime(archive).toMillis();
        Outcome again = run(root, Map.of("JAVA_HOME", java), "check", playground);
        assertEquals("", again.errText(), "the archive in use is silent");
        assertArrayEquals(first.out(), again.out());
        assertEquals(made, Files.getLastModifiedTime(archive).toMillis(), "an archive that matches is kept");

        Files.writeString(stamp, java + "/bin/java 1 1\n"); // as if the JDK had been updated in place
        Outcome updated = run(root, Map.of("JAVA_HOME", java), "check", playground);
        assertEquals("", updated.errText());
        assertFalse(Files.readString(stamp).contains(" 1 1"), "the stamp names the JDK as it is now: " + Files.readString(stamp));
        assertTrue(Files.size(archive) > 0, "and the archive was made again");
    }
    /**
     * On JDK 25 and newer the launcher's JIT file has C2 inline {@code VectorMath} into every caller from
     * the JVM's start (a directive added later could miss a kernel compiled before it: its vectors then
     * boxed on every step), and no call is refused for C2's node limits (the kernels call VectorMath
     * through {@code LaneCalls}' handles). Read from C2's compilation log of a short bench whose kernels
     * call exp, log and erf — the log, not {@code -XX:+PrintInlining}, whose lines C2's compiler threads
     * write into one another.
     */
    @Test
    void theLauncherInlinesVectorMathFromTheStart() throws Exception {
        if (Runtime.version().feature() < 25) return; // the launcher passes its JIT file on JDK 25 and newer only
        Path root = root(classPathJar()), log = tmp.resolve("jit.xml");
        String java = Path.of(System.getProperty("java.home")).toString();
        Outcome bench = run(root, Map.of("JAVA_HOME", java, "NNC_JAVA_OPTS",
                        "-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=" + log + " -Dnnc.inlining=off"),
                "bench", ExitCodesTest.samples().resolve("tiny_transformer.nn").toString(), "--seconds", "2", "--threads", "1");
        assertEquals(0, bench.code(), bench.errText());
        JitLog jit = JitLog.of(Files.readString(log), "nnc.runtime.kernels.VectorMath");
        assertTrue(jit.forced().contains("exp") && jit.forced().contains("erf"), "exp and erf forced inline: " + jit.forced());
        assertEquals(List.of(), jit.refused(), "no VectorMath call left out of line");
    }

    /** The tarball's layout (bin/nnc, lib/ with the jar and the scripts, samples/) around the real dist launcher. */
    private Path installation(Path jar) throws IOException {
        Path repo = ExitCodesTest.samples().getParent(), home = tmp.resolve("nnc-installed");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("samples"));
        Files.copy(repo.resolve("dist/src/bin/nnc"), home.resolve("bin/nnc"));
        for (String s : new String[] {"jdk.sh", "cds.sh", "cold-jit.txt"}) Files.copy(repo.resolve("scripts/" + s), home.resolve("lib/" + s));
        Files.copy(jar, home.resolve("lib/nnc.jar"));
        Files.copy(ExitCodesTest.samples().resolve("playground.nn"), home.resolve("samples/playground.nn"));
        return home;
    }

    private static Outcome runInstalled(Path home, Map<String, String> env, String... args) throws Exception {
        return run(home, "bin/nnc", env, args);
    }

    @Test
    void theInstalledLauncherKeepsItsArchiveInTheUsersCacheQuietlyAndRemakesItForANewJar() throws Exception {
        String java = Path.of(System.getProperty("java.home")).toString();
        if (Runtime.version().feature() < 25) return; // the launcher makes the archive on JDK 25 and newer only
        Path home = installation(classPathJar()), cache = tmp.resolve("xdg");
        Map<String, String> env = Map.of("JAVA_HOME", java, "XDG_CACHE_HOME", cache.toString());
        String playground = home.resolve("samples/playground.nn").toString();

        Outcome first = runInstalled(home, env, "check", playground);
        assertEquals(0, first.code(), first.errText());
        assertEquals("", first.errText(), "making the archive is silent");
        List<Path> archives;
        try (var files = Files.list(cache.resolve("nnc"))) {
            archives = files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
        assertEquals(1, archives.size(), "one archive for this installation: " + archives);
        Path archive = archives.get(0), stamp = Path.of(archive + ".jdk");
        assertTrue(Files.size(archive) > 0);
        assertTrue(Files.readString(stamp).contains(home.resolve("lib/nnc.jar").toString()), "the stamp names the jar: " + Files.readString(stamp));

        long made = Files.getLastModifiedTime(archive).toMillis();
        Outcome again = runInstalled(home, env, "check", playground);
        assertEquals("", again.errText(), "the archive in use is silent");
        assertArrayEquals(first.out(), again.out());
        assertEquals(made, Files.getLastModifiedTime(archive).toMillis(), "an archive that matches is kept");

        assertTrue(home.resolve("lib/nnc.jar").toFile().setLastModified(System.currentTimeMillis() - 3_600_000)); // as if nnc had been updated
        Outcome updated = runInstalled(home, env, "check", playground);
        assertEquals("", updated.errText());
        assertTrue(Files.readString(stamp).contains(" " + Files.getLastModifiedTime(home.resolve("lib/nnc.jar")).toMillis() / 1000 + "\n"),
                "the stamp names the jar as it is now: " + Files.readString(stamp));
        assertTrue(Files.size(archive) > 0, "and the archive was made again");

        Path notAFolder = Files.writeString(tmp.resolve("a-file"), "x"); // no folder can be made under it, not even by root
        Outcome unwritable = runInstalled(home, Map.of("JAVA_HOME", java, "NNC_CACHE_DIR", notAFolder.resolve("nnc").toString()), "check", playground);
        assertEquals(0, unwritable.code());
        assertEquals("", unwritable.errText(), "no cache folder: no archive, and no message");
        assertArrayEquals(first.out(), unwritable.out());
    }
}
