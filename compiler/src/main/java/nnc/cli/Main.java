package nnc.cli;

import java.io.PrintWriter;
import nnc.diag.CompileError;
import nnc.diag.Diagnostic;
import nnc.diag.DiagnosticPrinter;
import nnc.driver.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nnc}: the command line. User errors (bad programs, bad data, diverging training) print a
 * clear message and exit 1 without a stack trace; {@code --verbose} adds the trace.
 */
@Command(name = "nnc", mixinStandardHelpOptions = true, version = "nnc 0.1.0",
        description = "Compiles neural networks written in the .nn language into fast JVM trainers.",
        subcommands = {CheckCommand.class, IrCommand.class, CompileCommand.class, TrainCommand.class, EvalCommand.class,
                PredictCommand.class, GradCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    @Option(names = "--verbose", description = "print stack traces of errors (for bug reports)", scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true), err = new PrintWriter(System.err, true);
        int code = run(args, out, err);
        out.flush(); // autoflush covers println only: commands that print() would lose their output at exit
        err.flush();
        System.exit(code);
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, cmd, err, verbose(parsed)));
        return cl.execute(args);
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand())
            if (p.hasMatchedOption("--verbose")) return true;
        return false;
    }

    static int report(Exception ex, CommandLine cmd, PrintWriter err, boolean verbose) {
        int code;
        switch (ex) {
            case CompileError ce -> {
                int errors = 0;
                for (Diagnostic d : ce.diagnostics()) {
                    err.print(DiagnosticPrinter.render(d, Sources.lookup(d.span().file())));
                    if (d.isError()) errors++;
                }
                if (errors > 1) err.println(errors + " errors");
                code = 1;
            }
            case UserError ue -> { err.println(ue.getMessage()); code = 1; }
            case nnc.runtime.data.DataException de -> { err.println("nnc: error: " + de.getMessage()); code = 1; }
            case nnc.runtime.train.TrainingDivergedException td -> { err.println("nnc: error: " + td.getMessage()); code = 1; }
            default -> {
                err.println("nnc: internal error: " + ex + (verbose ? "" : " (run with --verbose for the stack trace)"));
                code = 2;
            }
        }
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return code;
    }
}
