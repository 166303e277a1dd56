package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Severity;
import dev.redisgen.emit.OutputDir;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "render",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Renders a profile to Kubernetes manifests.",
            "",
            "Prints a multi-document YAML stream in apply order on stdout, or writes one file per object plus "
                    + "a kustomization.yaml with --output-dir. Warnings go to stderr. A profile that fails a rule "
                    + "is refused (exit 2) and nothing is printed on stdout."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen render --profile gateway-ha | kubectl apply -f -",
            "  redisgen render --profile my-team.yaml --output-dir deploy/redis",
            "  redisgen render --profile airflow > airflow.yaml"})
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", required = true, paramLabel = "NAME|FILE",
            description = "A built-in profile name (see `redisgen profiles`) or the path to a profile file.")
    String profile;

    @Option(names = "--output-dir", paramLabel = "DIR", converter = DirectoryName.class,
            description = "Write one file per object and a kustomization.yaml here, atomically, instead of to stdout. "
                    + "DIR must be new, empty (dotfiles such as .gitkeep are kept) or this profile's earlier output, "
                    + "unchanged since redisgen wrote it.")
    Path outputDir;

    @Option(names = "--force",
            description = "With --output-dir: replace another profile's output, or files changed by hand since redisgen wrote them.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        if (force && outputDir == null) {
            throw new ParameterException(spec.commandLine(), "--force works only with --output-dir (it lets a render replace "
                    + "another profile's output or hand-edited files there)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Pipeline.Result result = Pipeline.render(profile);
        if (outputDir == null) {
            // Everything is built in memory first: bad input leaves stdout empty (SPEC "no partial output").
            String yaml = YamlWriter.write(result.objects());
            printWarnings(result.findings(), err);
            out.print(yaml);
            out.flush();
        } else {
            Map<String, String> files = OutputDir.files(result.objects());
            printWarnings(result.findings(), err);
            OutputDir.write(outputDir, result.plan().profileName(), files, force);
            err.print("wrote " + files.size() + " files to " + outputDir + "\n");
            err.flush();
        }
        return ExitCode.OK;
    }

    /** Notes explain decisions and are for `lint`; warnings are worth seeing on every render. */
    private static void printWarnings(List<Diagnostic> findings, PrintWriter err) {
        for (Diagnostic d : findings) {
            if (d.severity() == Severity.WARNING) {
                err.print(d.format() + "\n");
            }
        }
        err.flush();
    }
}
