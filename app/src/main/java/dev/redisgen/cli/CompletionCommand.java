package dev.redisgen.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code redisgen completion bash|zsh} (SPEC "Interfaces"): picocli's AutoComplete script, generated from the
 * very command tree that parses the arguments, so every command and option completes and none is invented.
 * zsh runs the same script through its bash-completion emulation ({@code bashcompinit}), which the script
 * loads itself when it is sourced in zsh.
 */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Prints a shell completion script for redisgen.",
            "",
            "Completes the commands, their options and the built-in profile names after --profile (and files). "
                    + "bash: load it from ~/.bashrc, or save it where bash-completion finds it "
                    + "(~/.local/share/bash-completion/completions/redisgen). "
                    + "zsh: load it from ~/.zshrc; it enables zsh's bash-completion emulation (bashcompinit) itself."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen completion bash > ~/.local/share/bash-completion/completions/redisgen",
            "  echo 'source <(redisgen completion bash)' >> ~/.bashrc",
            "  echo 'source <(redisgen completion zsh)' >> ~/.zshrc"})
final class CompletionCommand implements Callable<Integer> {
    /** The shells the script works in; zsh through bashcompinit. */
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // One script for both shells: picocli's detects zsh and loads bashcompinit there.
        out.print(Completion.script(spec.root().commandLine()));
        out.flush();
        return ExitCode.OK;
    }
}
