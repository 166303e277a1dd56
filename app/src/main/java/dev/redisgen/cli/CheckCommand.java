package dev.redisgen.cli;

import dev.redisgen.emit.Golden;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.LoadedProfile;
import dev.redisgen.profile.ProfileLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Compares render output with the golden files.",
            "",
            "The golden file of a profile is <golden-dir>/<name>.yaml: the built-in name, or the `name` field of "
                    + "a profile file. On drift prints a unified diff on stdout and exits 1; --update rewrites "
                    + "the golden files that differ, on purpose, and exits 0."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen check --all",
            "  redisgen check --profile airflow",
            "  redisgen check --profile my-team.yaml --golden-dir deploy/golden",
            "  redisgen check --all --update        # after a reviewed change to the output"})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--golden-dir", paramLabel = "DIR", defaultValue = "golden", converter = DirectoryName.class,
            description = "Where the golden files are (default: ${DEFAULT-VALUE}).")
    Path goldenDir;

    @Option(names = "--update", description = "Rewrite the golden files that differ instead of failing.")
    boolean update;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Render every profile before comparing: one broken profile fails the run with nothing printed on stdout.
        Map<Path, String> rendered = new LinkedHashMap<>();
        for (String ref : selection.refs()) {
            LoadedProfile source = selection.all ? ProfileLoader.loadBuiltin(ref) : ProfileLoader.resolve(ref);
            rendered.put(goldenDir.resolve(goldenName(ref, source) + ".yaml"), YamlWriter.write(Pipeline.render(source).objects()));
        }
        boolean drift = false;
        for (Map.Entry<Path, String> entry : rendered.entrySet()) {
            Path golden = entry.getKey();
            Golden.Result result = Golden.compare(golden, entry.getValue());
            if (result.equal()) {
                err.print(golden + ": up to date\n");
            } else if (update) {
                boolean existed = Files.exists(golden);
                Golden.update(golden, entry.getValue());
                err.print(golden + ": " + (existed ? "updated" : "created") + "\n");
            } else {
                drift = true;
                out.print(result.diff());
                err.print(golden + ": differs from the rendered output; if the change is intended, run with --update\n");
            }
        }
        out.flush();
        err.flush();
        return drift ? ExitCode.PROBLEM : ExitCode.OK;
    }

    /**
     * A built-in is checked against golden/&lt;built-in name&gt;.yaml; a profile file against its {@code name}
     * field, so the golden file does not depend on where the profile file lies.
     */
    static String goldenName(String ref, LoadedProfile source) {
        boolean builtin = ProfileLoader.builtinNames().contains(ref) && source.displayName().equals("profiles/" + ref + ".yaml");
        return builtin ? ref : source.profile().name();
    }
}
