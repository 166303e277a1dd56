package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import dev.redisgen.emit.Golden;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Compares render output with the golden files.",
            "",
            "The golden file of a profile is <golden-dir>/<name>.yaml, after the profile's `name` field. On drift it "
                    + "prints a unified diff on stdout, each hunk headed by the objects it changes (Kind/namespace/name), "
                    + "and exits 1. When the profiles are a whole set (--all, or a directory), a golden file that none of "
                    + "them renders is an orphan: reported, exit 1. --update rewrites the golden files that differ and "
                    + "deletes the orphans, on purpose, and exits 0.",
            "",
            "Paths are relative to the current directory. The golden directory must exist (--update creates it), so "
                    + "a check run from the wrong directory fails with one line instead of a diff of every file."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen check --all",
            "  redisgen check --profile deploy/profiles/ --golden-dir deploy/golden",
            "  redisgen check --profile a.yaml --profile b.yaml --golden-dir deploy/golden",
            "  redisgen check --all --update        # after a reviewed change to the output"})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Option(names = "--golden-dir", paramLabel = "DIR", defaultValue = "golden", converter = DirectoryName.class,
            description = "Where the golden files are (default: ${DEFAULT-VALUE}, in the current directory).")
    Path goldenDir;

    @Option(names = "--update", description = "Rewrite the golden files that differ and delete orphans instead of failing.")
    boolean update;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Selection.Selected selected = selection.load(spec);
        Selection.requireUniqueNames(selected.profiles(), "each needs its own golden file");
        // Render every profile before comparing: one broken profile fails the run with nothing printed on stdout.
        Map<Path, String> rendered = new LinkedHashMap<>();
        for (Pipeline.Result r : RenderCommand.renderAll(selected.profiles())) {
            rendered.put(goldenDir.resolve(r.source().profile().name() + ".yaml"), YamlWriter.write(r.objects()));
        }
        if (!update && !Files.isDirectory(goldenDir)) {
            String cwd = Path.of("").toAbsolutePath().toString();
            throw new InputException(Diagnostic.error("no-such-file", "golden directory " + goldenDir
                            + (Files.exists(goldenDir) ? " is not a directory" : " does not exist" + (goldenDir.isAbsolute() ? "" : " in " + cwd)),
                    "give --golden-dir DIR (relative to the current directory), or run with --update to create it",
                    Location.ofFile(goldenDir.toString())));
        }
        boolean problem = false;
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
                problem = true;
                out.print(result.diff());
                err.print(golden + ": differs from the rendered output; if the change is intended, run with --update\n");
            }
        }
        if (selected.complete()) {
            for (Path orphan : orphans(rendered.keySet())) {
                if (update) {
                    Files.delete(orphan);
                    err.print(orphan + ": deleted (no profile renders it)\n");
                } else {
                    problem = true;
                    out.print("orphan golden file " + orphan + ": no profile renders it\n");
                    err.print(orphan + ": no profile renders this golden file; delete it, or run with --update\n");
                }
            }
        }
        out.flush();
        err.flush();
        return problem ? ExitCode.PROBLEM : ExitCode.OK;
    }

    /**
     * The golden files no selected profile renders: every {@code *.yaml} directly in the golden directory
     * (not hidden files, not other names: a README there is not an orphan), sorted.
     */
    private List<Path> orphans(Set<Path> expected) throws IOException {
        if (!Files.isDirectory(goldenDir)) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(goldenDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(".yaml") && !name.startsWith(".") && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && !expected.contains(goldenDir.resolve(name))) {
                    names.add(name);
                }
            }
        }
        List<Path> out = new ArrayList<>();
        for (String name : names) {
            out.add(goldenDir.resolve(name));
        }
        return out;
    }
}
