package nnc.cli;

import java.io.PrintWriter;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.driver.UserError;
import nnc.playground.PlaygroundCommand;
import nnc.runtime.data.DataException;
import nnc.runtime.io.OutputFileException;
import nnc.runtime.kernels.InliningHint;
import nnc.runtime.io.SafeTensorsException;
import nnc.runtime.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;

/**
 * {@code nnc}: the command line. Exit codes: {@value #OK} success; {@value #INPUT} a problem with the
 * input (program, data, files, diverging training), reported as a clear message without a stack
 * trace; {@value #USAGE} a usage error (unknown option or command, a bad or missing argument), one
 * line {@code nnc train: error: ...} and a hint to {@code --help}; {@value #INTERNAL} an internal
 * error (a bug in nnc; sysexits' EX_SOFTWARE). {@code --verbose} adds the stack trace.
 */
@Command(name = "nnc", mixinStandardHelpOptions = true, versionProvider = NncVersion.class,
        description = "Compiles neural networks written in the .nn language into fast JVM trainers.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a problem with the input: program, data, files, diverging training",
                "2:a usage error: unknown option or command, bad or missing argument", "70:an internal error (a bug in nnc)"},
        subcommands = {CheckCommand.class, IrCommand.class, CompileCommand.class, TrainCommand.class, EvalCommand.class,
                PredictCommand.class, GradCommand.class, BenchCommand.class, PlaygroundCommand.class, HelpCommand.class, CompletionCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0, INPUT = 1, USAGE = 2, INTERNAL = 70;

    @Option(names = "--verbose", description = "print stack traces of errors (for bug reports)", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    public static void main(String[] args) {
        // the command line opts in to the JIT inlining hint unless told otherwise (-Dnnc.inlining=off)
        if (System.getProperty(InliningHint.PROPERTY) == null) InliningHint.enable();
        PrintWriter out = new PrintWriter(System.out, true), err = new PrintWriter(System.err, true);
        int code = run(args, out, err);
        out.flush(); // autoflush covers println only: commands that print() would lose their output at exit
        err.flush();
        System.exit(code);
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(out, err);
        try {
            return cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) { // picocli passes Errors through
            return report(e, cl, err, verboseIn(args));
        }
    }

    /** The configured command line: its exit codes and error messages as the class comment says. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        withVersion(cl);
        cl.setParameterExceptionHandler((ex, args) -> usage(ex, err));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, cmd, err, verbose(parsed)));
        return cl;
    }

    /** Every command (each has {@code mixinStandardHelpOptions}) answers {@code -V} / {@code --version} with the version of the build. */
    private static void withVersion(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new NncVersion());
        cl.getSubcommands().values().forEach(Main::withVersion);
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand())
            if (p.hasMatchedOption("--verbose")) return true;
        return false;
    }

    private static boolean verboseIn(String[] args) {
        for (String a : args) if (a.equals("--verbose")) return true;
        return false;
    }

    /** A usage error: one line naming the command, the hint to its --help, exit code 2; never a stack trace. */
    static int usage(CommandLine.ParameterException ex, PrintWriter err) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        String message = oneLine(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !cmd.getSubcommands().isEmpty() && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-"))
            message = "unknown command '" + u.getUnmatched().get(0) + "' (the commands: " + String.join(", ", cmd.getSubcommands().keySet()) + ")";
        err.println(name + ": error: " + message);
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty())
            err.println("did you mean: " + String.join(", ", u.getSuggestions()) + "?");
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    static int report(Throwable ex, CommandLine cmd, PrintWriter err, boolean verbose) {
        int code = INPUT;
        switch (ex) {
            case CommandLine.ParameterException pe -> { return usage(pe, err); }
            case CompileError ce -> {
                int errors = 0;
                for (Diagnostic d : ce.diagnostics()) {
                    err.print(DiagnosticPrinter.render(d, Sources.lookup(d.span().file())));
                    if (d.isError()) errors++;
                }
                if (errors > 1) err.println(errors + " errors");
            }
            case UserError ue -> err.println(ue.getMessage());
            case DataException de -> err.println("nnc: error: " + de.getMessage());
            case TrainingDivergedException td -> err.println("nnc: error: " + td.getMessage());
            case SafeTensorsException se -> err.println(se.file() + ": error: " + se.problem());
            case OutputFileException oe -> err.println(oe.file() + ": error: " + oe.problem());
            default -> {
                err.println("nnc: internal error: " + oneLine(String.valueOf(ex))
                        + (verbose ? "" : " (a bug in nnc; run with --verbose for the stack trace)"));
                code = INTERNAL;
            }
        }
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return code;
    }

    /** Picocli's message with its first letter in lower case (it follows "error: "), on one line. */
    private static String oneLine(String message) {
        String m = message == null ? "" : message.strip().replace("\r\n", " ").replace('\n', ' ');
        if (m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1)))
            m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
        return m;
    }
}
