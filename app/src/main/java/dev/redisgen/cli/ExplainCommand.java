package dev.redisgen.cli;

import dev.redisgen.explain.Explainer;
import dev.redisgen.explain.Explanation;
import dev.redisgen.explain.JsonReport;
import dev.redisgen.explain.TextReport;
import dev.redisgen.pipeline.Pipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "explain",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Explains what a profile renders and how to use it.",
            "",
            "Prints the topology as a picture (pods, roles, Services, which client reaches what on which port), the "
                    + "resource totals per workload and in all (requests, limits, PVC storage, pods; steady and at the "
                    + "rollout peak), what must exist before applying (Secrets with the kubectl line that creates them, "
                    + "StorageClasses, CRDs), and connection settings for every client the profile's `clients:` names "
                    + "(redis-cli and redis-py when it names none), all read from the same render as `render` prints. "
                    + "A profile that fails a rule is refused (exit 2), as by render.",
            "",
            "Several profiles (repeated --profile, a directory, --all) are explained one after the other in the order "
                    + "given, separated by a blank line; with --json they make one JSON array (also when a directory "
                    + "holds one profile), where a single --profile prints one object."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen explain --profile airflow",
            "  redisgen explain --profile my-team.yaml --json > explain.json",
            "  redisgen explain --profile my-team.yaml -f prod.yaml --set 'deployments[0].replicas=5'",
            "  redisgen explain --profile deploy/profiles/ --json",
            "  redisgen explain --profile jewelry-shop | less"})
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Option(names = "--json", description = "Print the same content as JSON (keys in a fixed order; an array for several profiles).")
    boolean json;

    @Override
    public Integer call() {
        Selection.Selected selected = selection.load(spec);
        // Every profile is rendered before anything is printed: one broken profile leaves stdout empty.
        List<Pipeline.Result> results = RenderCommand.renderAll(selected.profiles());
        List<Explanation> explanations = new ArrayList<>();
        for (Pipeline.Result result : results) {
            explanations.add(Explainer.explain(result.plan(), result.objects(), result.source().displayName(),
                    result.source().profile().description()));
        }
        RenderCommand.printWarnings(results, spec.commandLine().getErr());
        String text;
        if (json) {
            // The shape follows the selection, not the count: a script reading a directory always gets an array.
            text = selected.grouped() ? JsonReport.json(explanations) : JsonReport.json(explanations.get(0));
        } else {
            StringBuilder all = new StringBuilder();
            for (Explanation e : explanations) {
                all.append(all.length() == 0 ? "" : "\n").append(TextReport.text(e));
            }
            text = all.toString();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return ExitCode.OK;
    }
}
