package dev.redisgen.cli;

import dev.redisgen.diff.DiffReport;
import dev.redisgen.diff.Differ;
import dev.redisgen.diff.Live;
import dev.redisgen.diff.Manifest;
import dev.redisgen.diff.Patch;
import dev.redisgen.diff.Previous;
import dev.redisgen.emit.OutputDir;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "diff",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Says what applying a changed profile over its previous output will do.",
            "",
            "Compares what the profiles render now with PREVIOUS: a directory written by render --output-dir, a golden "
                    + "file or any rendered YAML (--from), or the objects in the cluster (--live, through kubectl). Per object: "
                    + "added, removed, changed or unchanged, with the fields that differ; which pods restart and in which "
                    + "order; which changes the API server refuses (immutable fields), with the procedure for each; and, per "
                    + "Redis deployment, each changed setting with how it takes effect and a verdict on high availability.",
            "",
            "Exit codes: 0 nothing changes, 1 changes that apply as they are, 2 a change the API server refuses or that is "
                    + "unsafe as is (or bad usage or input)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen diff --profile my-team.yaml --from deploy/redis",
            "  redisgen diff --profile airflow --set 'deployments[0].sentinel.quorum=3' --from golden/airflow.yaml",
            "  redisgen diff --profile my-team.yaml --from deploy/redis --json | jq '.objects[] | select(.refused)'",
            "  redisgen diff --profile my-team.yaml --from deploy/redis --patch",
            "  redisgen diff --profile my-team.yaml --live"})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Option(names = "--from", paramLabel = "PREVIOUS", converter = DirectoryName.class,
            description = "The previous output: a directory written by render --output-dir, or a rendered YAML file (a golden file).")
    Path from;

    @Option(names = "--live", description = "Compare with the objects in the cluster instead, read with the kubectl on PATH "
            + "(its current context).")
    boolean live;

    @Option(names = "--json", description = "Print the report as JSON (field names in README, \"diff\").")
    boolean json;

    @Option(names = "--patch", description = "Print a unified diff instead, each hunk naming its objects (Kind/namespace/name).")
    boolean patch;

    @Override
    public Integer call() {
        if ((from == null) == !live) {
            throw new ParameterException(spec.commandLine(), live ? "--from and --live are mutually exclusive; give one or the other"
                    : "Missing required option: '--from=PREVIOUS' or '--live'");
        }
        if (json && patch) {
            throw new ParameterException(spec.commandLine(), "--json and --patch are mutually exclusive; give one or the other");
        }
        Selection.Selected selected = selection.load(spec);
        List<Pipeline.Result> results = RenderCommand.renderAll(selected.profiles());
        StringBuilder stream = new StringBuilder();
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        for (Pipeline.Result r : results) {
            stream.append(YamlWriter.write(r.objects()));
            groups.put(r.source().profile().name(), OutputDir.files(r.objects()));
        }
        Map<String, String> files = selected.grouped() ? OutputDir.grouped(groups) : groups.values().iterator().next();
        List<Manifest> rendered = Previous.parse(stream.toString(), "(rendered)");
        Map<String, String> env = ((RedisgenCommand) spec.root().userObject()).env;
        Previous previous = live ? Live.fetch(Live.kubectl(env), env, rendered)
                : Previous.read(from, selected.grouped() ? null : results.get(0).source().profile().name());
        DiffReport report = Differ.compare(previous.display(), previous.objects(), rendered);
        RenderCommand.printWarnings(results, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(report.json());
        } else if (patch) {
            out.print(Patch.of(previous, stream.toString(), files, rendered, live ? previous.objects() : null));
        } else {
            out.print(report.text());
        }
        out.flush();
        return report.exitCode();
    }
}
