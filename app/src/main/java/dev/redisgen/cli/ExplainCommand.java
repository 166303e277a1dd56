package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Severity;
import dev.redisgen.explain.Explainer;
import dev.redisgen.explain.Explanation;
import dev.redisgen.explain.JsonReport;
import dev.redisgen.explain.TextReport;
import dev.redisgen.pipeline.Pipeline;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
                    + "A profile that fails a rule is refused (exit 2), as by render."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen explain --profile airflow",
            "  redisgen explain --profile my-team.yaml --json > explain.json",
            "  redisgen explain --profile jewelry-shop | less"})
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", required = true, paramLabel = "NAME|FILE",
            description = "A built-in profile name (see `redisgen profiles`) or the path to a profile file.")
    String profile;

    @Option(names = "--json", description = "Print the same content as JSON (keys in a fixed order).")
    boolean json;

    @Override
    public Integer call() {
        Pipeline.Result result = Pipeline.render(profile);
        Explanation e = Explainer.explain(result.plan(), result.objects(), result.source().displayName(),
                result.source().profile().description());
        String text = json ? JsonReport.json(e) : TextReport.text(e);
        PrintWriter err = spec.commandLine().getErr();
        for (Diagnostic d : result.findings()) {
            if (d.severity() == Severity.WARNING) {
                err.print(d.format() + "\n");
            }
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return ExitCode.OK;
    }
}
