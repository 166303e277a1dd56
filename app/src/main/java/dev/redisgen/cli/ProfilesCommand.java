package dev.redisgen.cli;

import dev.redisgen.profile.ProfileLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "profiles",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Lists the built-in profiles.",
            "",
            "One line each: the name, then the profile's description. `profiles show NAME` prints one."},
        subcommands = ProfilesShowCommand.class,
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen profiles",
            "  redisgen profiles show jewelry-shop > my-team.yaml"})
final class ProfilesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<String> names = ProfileLoader.builtinNames();
        int width = names.stream().mapToInt(String::length).max().orElse(0);
        for (String name : names) {
            String description = ProfileLoader.loadBuiltin(name).profile().description();
            String line = description == null || description.isBlank()
                    ? name
                    : name + " ".repeat(width - name.length() + 2) + description.strip();
            out.print(line + "\n");
        }
        out.flush();
        return ExitCode.OK;
    }
}
