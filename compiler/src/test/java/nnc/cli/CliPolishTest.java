package nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import nnc.driver.Compilation;
import org.junit.jupiter.api.Test;

/** {@code nnc help COMMAND}, {@code -V} on every command with the pom's version, and the completion script. */
class CliPolishTest {
    /** The version in the root pom, read independently of the filtered resource. */
    static String pomVersion() throws IOException {
        String pom = Files.readString(ExitCodesTest.samples().getParent().resolve("pom.xml"));
        int start = pom.indexOf("<artifactId>nnc-parent</artifactId>");
        int v = pom.indexOf("<version>", start) + "<version>".length();
        return pom.substring(v, pom.indexOf("</version>", v));
    }

    @Test void helpCommandPrintsThatCommandsUsage() {
        Run.Result help = Run.nnc("help", "compile"), direct = Run.nnc("compile", "--help");
        assertEquals(0, help.code(), help.toString());
        assertTrue(help.out().startsWith("Usage: nnc compile "), help.out());
        assertEquals(direct.out(), help.out());
        Run.Result unknown = Run.nnc("help", "nonsense");
        assertEquals(Main.USAGE, unknown.code(), unknown.toString());
    }

    @Test void everyCommandPrintsTheBuildsVersion() throws IOException {
        String expected = "nnc " + pomVersion();
        for (String command : new String[] {"check", "ir", "compile", "train", "eval", "predict", "grad", "bench", "generate-completion"}) {
            for (String flag : new String[] {"-V", "--version"}) {
                Run.Result r = Run.nnc(command, flag);
                assertEquals(0, r.code(), command + " " + flag + ": " + r);
                assertTrue(r.out().startsWith(expected + "\nJava "), command + " " + flag + ": " + r.out());
            }
        }
        assertTrue(Run.nnc("-V").out().startsWith(expected + "\n"));
        assertEquals(pomVersion(), NncVersion.version());
    }

    /** The report's settings line names the optimiser as the train block does, with the defaults it fills in (0s left out). */
    @Test void theReportNamesTheOptimiserAndItsOptions() {
        assertEquals("sgd(lr=0.5)", TrainCommand.optimizerText(Compilation.of(ExitCodesTest.samples().resolve("playground.nn")).train()));
        assertEquals("adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)",
                TrainCommand.optimizerText(Compilation.of(ExitCodesTest.samples().resolve("majority.nn")).train()));
    }

    @Test void theCompletionScriptCompletesEveryCommandAndItsOptions() throws IOException {
        Run.Result r = Run.nnc("generate-completion");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().substring(0, 80));
        assertTrue(r.out().contains("complete -F _complete_nnc"), "registers the completion function");
        for (String word : new String[] {"check", "compile", "train", "eval", "predict", "bench", "help", "--emit", "--epochs"})
            assertTrue(r.out().contains(word), word);
        Path script = Files.createTempFile("nnc-completion", ".bash");
        try {
            Files.writeString(script, r.out());
            Process p = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) { out = new String(in.readAllBytes()); }
            assertEquals(0, p.waitFor(), "bash -n: " + out);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            Files.delete(script);
        }
    }
}
