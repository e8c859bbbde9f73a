package nnc.playground;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import nnc.driver.Compilation;
import nnc.driver.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nnc playground [FILE] [--port N]}: the interactive playground, a local web page that edits and trains a small network. */
@Command(name = "playground", mixinStandardHelpOptions = true,
        description = "Open the interactive playground: a local web page (127.0.0.1 only) to edit, check and train a small"
                + " classifier of 2-D points, watch its decision boundary and neurons, and read its generated code."
                + " Prints the page's address with this launch's token; stop with Ctrl-C.")
public final class PlaygroundCommand implements Callable<Integer> {
    /** The port when none is given. */
    public static final int DEFAULT_PORT = 8787;
    static final String DEFAULT_PROGRAM = "nnc/playground/playground.nn";

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the program the page starts with (default: samples/playground.nn)")
    Path file;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + DEFAULT_PORT, description = "the port on 127.0.0.1 (0: any free one; default ${DEFAULT-VALUE})")
    int port;

    @Spec CommandSpec spec;

    @Override public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65535) throw new ParameterException(spec.commandLine(), "--port must be 0 .. 65535, not " + port);
        String source = file != null ? Compilation.read(file).text() : defaultProgram();
        PlaygroundServer server;
        try {
            server = PlaygroundServer.start(port, source);
        } catch (IOException e) {
            throw new UserError("nnc playground: error: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
                    + (port != 0 ? " (another program may use it: try --port 0)" : ""));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("nnc playground: " + server.url());
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "nnc-playground-stop"));
        server.join();
        return 0;
    }

    /** The program shipped in the jar: a copy of samples/playground.nn. */
    static String defaultProgram() throws IOException {
        try (InputStream in = PlaygroundCommand.class.getClassLoader().getResourceAsStream(DEFAULT_PROGRAM)) {
            if (in == null) throw new IllegalStateException("nnc.jar has no " + DEFAULT_PROGRAM);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
