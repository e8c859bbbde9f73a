package nnc.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nnc generate-completion}: the bash/zsh completion script of every command and option (picocli's AutoComplete). */
@Command(name = "generate-completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script for nnc.",
                "Install it with: source <(nnc generate-completion), e.g. in ~/.bashrc"})
final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        String script = AutoComplete.bash("nnc", spec.parent().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
