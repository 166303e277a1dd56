package dev.redisgen.cli;

import dev.redisgen.profile.ProfileLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Prints a built-in profile.",
            "",
            "The profile file exactly as shipped, comments included, as a starting point for your own."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen profiles show airflow",
            "  redisgen profiles show gateway-ha > my-team.yaml",
            "  redisgen lint --profile my-team.yaml"})
final class ProfilesShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "A built-in profile name (see `redisgen profiles`).")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(ProfileLoader.loadBuiltin(name).text());
        out.flush();
        return ExitCode.OK;
    }
}
