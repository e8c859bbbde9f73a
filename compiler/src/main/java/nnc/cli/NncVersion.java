package nnc.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version of nnc, from the build ({@code nnc/cli/version.properties}, filled in by Maven): what {@code -V} prints on every command. */
public final class NncVersion implements IVersionProvider {
    private static final String VERSION = read();

    /** The version of nnc as built, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() { return VERSION; }

    @Override public String[] getVersion() {
        return new String[] {"nnc " + VERSION, "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("java.home") + ")"};
    }

    private static String read() {
        try (InputStream in = NncVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) throw new IllegalStateException("nnc/cli/version.properties is missing from the build");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
