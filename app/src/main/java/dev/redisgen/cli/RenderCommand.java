package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import dev.redisgen.diag.Phases;
import dev.redisgen.diag.Severity;
import dev.redisgen.emit.OutputDir;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.LoadedProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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

@Command(name = "render",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Renders profiles to Kubernetes manifests.",
            "",
            "Prints a multi-document YAML stream in apply order on stdout, or writes one file per object plus "
                    + "a kustomization.yaml with --output-dir. Warnings go to stderr. A profile that fails a rule "
                    + "is refused (exit 2) and nothing is printed on stdout.",
            "",
            "Several profiles (repeated --profile, a directory, --all) make one stream, profile after profile in the "
                    + "order given; two of them rendering the same object are refused. With --output-dir they get one "
                    + "subdirectory each, named after the profile's `name`, under a kustomization.yaml that lists them "
                    + "in order."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen render --profile gateway-ha | kubectl apply -f -",
            "  redisgen render --profile my-team.yaml --output-dir deploy/redis",
            "  redisgen render --profile my-team.yaml -f prod.yaml -f eu-west.yaml",
            "  redisgen render --profile airflow --set 'deployments[0].replicas=5'",
            "  redisgen render --profile deploy/profiles/ --output-dir deploy/rendered",
            "  redisgen render --profile airflow > airflow.yaml"})
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Option(names = "--output-dir", paramLabel = "DIR", converter = DirectoryName.class,
            description = "Write one file per object and a kustomization.yaml here, atomically, instead of to stdout "
                    + "(several profiles: one subdirectory per profile). DIR must be new, empty (dotfiles such as .gitkeep "
                    + "are kept) or the earlier output of these profiles, unchanged since redisgen wrote it.")
    Path outputDir;

    @Option(names = "--force",
            description = "With --output-dir: replace another profile's output, or files changed by hand since redisgen wrote them.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Phases.mark("cli");
        if (force && outputDir == null) {
            throw new ParameterException(spec.commandLine(), "--force works only with --output-dir (it lets a render replace "
                    + "another profile's output or hand-edited files there)");
        }
        return render(selection.load(spec), outputDir, force, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** The render itself, for this command and for {@link FastRender}: the same code whichever parsed the options. */
    static int render(Selection.Selected selected, Path outputDir, boolean force, PrintWriter out, PrintWriter err) throws IOException {
        Phases.mark("load");
        // Everything is built in memory first: bad input leaves stdout empty (SPEC "no partial output").
        List<Pipeline.Result> results = renderAll(selected.profiles());
        Phases.mark("render");
        // In one stream, and under the one kustomization.yaml of a grouped output directory (kustomize refuses
        // an object twice), each object may come from one profile only.
        requireDistinctObjects(results);
        if (outputDir == null) {
            StringBuilder yaml = new StringBuilder();
            for (Pipeline.Result r : results) {
                yaml.append(YamlWriter.write(r.objects()));
            }
            Phases.mark("yaml-write");
            printWarnings(results, err);
            out.print(yaml);
            out.flush();
            Phases.mark("output");
        } else if (!selected.grouped()) {
            Pipeline.Result result = results.get(0);
            Map<String, String> files = OutputDir.files(result.objects());
            printWarnings(results, err);
            OutputDir.write(outputDir, result.plan().profileName(), files, force);
            err.print("wrote " + files.size() + " files to " + outputDir + "\n");
            err.flush();
        } else {
            Selection.requireUniqueNames(selected.profiles(), "each profile gets the subdirectory of its name");
            Map<String, Map<String, String>> groups = new LinkedHashMap<>();
            for (Pipeline.Result r : results) {
                groups.put(r.source().profile().name(), OutputDir.files(r.objects()));
            }
            Map<String, String> files = OutputDir.grouped(groups);
            printWarnings(results, err);
            OutputDir.write(outputDir, List.copyOf(groups.keySet()), files, force);
            err.print("wrote " + files.size() + " files for " + groups.size() + (groups.size() == 1 ? " profile" : " profiles")
                    + " to " + outputDir + "\n");
            err.flush();
        }
        return ExitCode.OK;
    }

    /** Every profile's render; the errors of all of them together, so one run shows every refusal. */
    static List<Pipeline.Result> renderAll(List<LoadedProfile> profiles) {
        List<Pipeline.Result> results = new ArrayList<>();
        List<Diagnostic> errors = new ArrayList<>();
        for (LoadedProfile source : profiles) {
            try {
                results.add(Pipeline.render(source));
            } catch (InputException e) {
                errors.addAll(e.diagnostics());
            }
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
        return results;
    }

    /**
     * Profiles rendered together are applied together: an object twice would be applied twice, the later silently winning (and
     * {@code kubectl kustomize} of a grouped output directory refuses it). Refused, one message per
     * pair of profiles naming the objects they share. (Two profiles in one namespace are fine when only one of
     * them renders the Namespace.)
     */
    private static void requireDistinctObjects(List<Pipeline.Result> results) {
        Map<String, Integer> owners = new HashMap<>();
        // "first second" (indexes into results) to the objects both render, in stream order.
        Map<String, List<String>> shared = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            for (HasMetadata object : results.get(i).objects()) {
                String namespace = object.getMetadata().getNamespace();
                String id = object.getKind() + " " + (namespace == null ? "" : namespace + "/") + object.getMetadata().getName();
                Integer first = owners.putIfAbsent(id, i);
                if (first != null && first != i) {
                    shared.computeIfAbsent(first + " " + i, k -> new ArrayList<>()).add(id);
                }
            }
        }
        List<Diagnostic> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> pair : shared.entrySet()) {
            String[] indexes = pair.getKey().split(" ");
            LoadedProfile first = results.get(Integer.parseInt(indexes[0])).source();
            LoadedProfile second = results.get(Integer.parseInt(indexes[1])).source();
            List<String> ids = pair.getValue();
            String objects = ids.size() <= 3 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 3)) + " and " + (ids.size() - 3) + " more";
            if (first.displayName().equals(second.displayName())) {
                errors.add(Diagnostic.error("unique-names", first.displayName() + " is selected twice, so its objects would be in the "
                        + "stream twice (" + objects + ")", "name each profile once", Location.ofFile(second.displayName())));
            } else {
                errors.add(Diagnostic.error("unique-names", first.displayName() + " and " + second.displayName() + " both render "
                                + (ids.size() == 1 ? "" : ids.size() + " objects: ") + objects + "; applied together the second would silently "
                                + "replace the first",
                        "give the deployments different names or namespaces (profiles that share a namespace: "
                                + "`namespace.create: false` in all but one), or render the profiles separately",
                        second.sourceMap().locate("/namespace/name")));
            }
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
    }

    /** Notes explain decisions and are for `lint`; warnings are worth seeing on every render. */
    static void printWarnings(List<Pipeline.Result> results, PrintWriter err) {
        for (Pipeline.Result r : results) {
            for (Diagnostic d : r.findings()) {
                if (d.severity() == Severity.WARNING) {
                    err.print(d.format() + "\n");
                }
            }
        }
        err.flush();
    }
}
