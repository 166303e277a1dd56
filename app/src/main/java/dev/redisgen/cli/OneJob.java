package dev.redisgen.cli;

import dev.redisgen.emit.YamlWriter;
import dev.redisgen.profile.LoadedProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The commands that print one Job rendered on request from one profile (`drain`, `restore`). */
final class OneJob {
    private OneJob() {
    }

    /**
     * Loads the one profile SELECTION names, prints the Job JOB renders from it; a second profile, or what JOB refuses
     * (IllegalArgumentException), is a usage error with nothing printed on stdout.
     */
    static int print(CommandSpec spec, Selection selection, Function<LoadedProfile, List<HasMetadata>> job) {
        Selection.Selected selected = selection.load(spec);
        if (selected.profiles().size() != 1) {
            throw new ParameterException(spec.commandLine(), spec.name() + " takes one profile; " + selected.profiles().size() + " were given");
        }
        String yaml;
        try {
            yaml = YamlWriter.write(job.apply(selected.profiles().get(0)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(yaml);
        out.flush();
        return ExitCode.OK;
    }
}
