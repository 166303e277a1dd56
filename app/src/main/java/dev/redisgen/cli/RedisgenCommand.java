package dev.redisgen.cli;

import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "redisgen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Turns a topology profile into the Kubernetes manifests of a highly available Redis.",
        subcommands = {RenderCommand.class, DiffCommand.class, CheckCommand.class, LintCommand.class, ExplainCommand.class, DrillCommand.class, DrainCommand.class, RestoreCommand.class, ProfilesCommand.class, CompletionCommand.class, HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen render --profile gateway-ha | kubectl apply -f -",
            "  redisgen render --profile my-team.yaml --output-dir deploy/redis",
            "  redisgen diff --profile my-team.yaml --from deploy/redis",
            "  redisgen check --all",
            "  redisgen lint --profile my-team.yaml",
            "  redisgen profiles show airflow > my-team.yaml",
            "",
            "Exit codes: 0 ok, 1 a problem found (drift, lint findings, diff: changes), 2 bad usage or input (diff: a change that cannot be applied as is), 70 internal error."})
final class RedisgenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** What {@code --profile -} and {@code -f -} read; subcommands reach it through {@code spec.root()}. */
    final InputStream stdin;

    /** The environment the command runs in ({@code diff --live} finds kubectl on its PATH and runs it with it). */
    final Map<String, String> env;

    RedisgenCommand(InputStream stdin, Map<String, String> env) {
        this.stdin = stdin;
        this.env = Map.copyOf(env);
    }

    /** Without a subcommand there is nothing to do: that is a usage error, and the usage goes to stderr. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().print("redisgen: missing command\n");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
