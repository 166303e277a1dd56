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
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
            "  redisgen render --profile airflow > airflow.yaml",
            "  redisgen render --profile my-team.yaml --output-dir deploy/redis --refuse-immutable"})
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

    @Option(names = "--refuse-immutable",
            description = "With --output-dir over an earlier output: refuse (exit 2, nothing written) a change the API server will not "
                    + "apply over it (a StatefulSet's volumeClaimTemplates, serviceName, selector or podManagementPolicy, a Job's "
                    + "template, ...) instead of warning.")
    boolean refuseImmutable;

    @Override
    public Integer call() throws IOException {
        Phases.mark("cli");
        if (refuseImmutable && outputDir == null) {
            throw new ParameterException(spec.commandLine(), "--refuse-immutable works only with --output-dir (it compares the new "
                    + "output with the earlier one there)");
        }
        if (force && outputDir == null) {
            throw new ParameterException(spec.commandLine(), "--force works only with --output-dir (it lets a render replace "
                    + "another profile's output or hand-edited files there)");
        }
        return render(selection.read(spec, false), outputDir, force, refuseImmutable, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /**
     * One profile as far as a render takes it, worked out by one thread: its objects are written to text there and
     * not kept (1,000 profiles' object trees would be a gigabyte), only what the checks across profiles need.
     *
     * @param source       the profile; dropped once the stream is spooled (its node tree and source map are the bulk of it)
     * @param namespaceAt  where the profile names its namespace, for a refusal of objects two profiles share
     * @param loadErrors   the profile's load errors (attributed to it when overrides are shared), or empty
     * @param renderErrors the rules' errors, or empty
     * @param ids          "Kind namespace/name" of each object, in order
     * @param yaml         the stream (stdout) as UTF-8 chunks until it is spooled, or null
     * @param files        the files (--output-dir), or null
     */
    private record Rendered(LoadedProfile source, String displayName, Location namespaceAt, List<Diagnostic> loadErrors,
            List<Diagnostic> renderErrors, String profileName, List<String> ids, List<Diagnostic> warnings, List<ByteBuffer> yaml,
            Map<String, String> files) {
    }

    /** The render itself, for this command and for {@link FastRender}: the same code whichever parsed the options. */
    static int render(Selection.Read read, Path outputDir, boolean force, boolean refuseImmutable, PrintWriter out, PrintWriter err)
            throws IOException {
        // Everything is made first, the stream spooled: bad input leaves stdout empty (SPEC "no partial output").
        try (Spool stream = new Spool()) {
            return render(read, outputDir, force, refuseImmutable, out, err, stream);
        }
    }

    private static int render(Selection.Read read, Path outputDir, boolean force, boolean refuseImmutable, PrintWriter out, PrintWriter err,
            Spool stream)
            throws IOException {
        List<Rendered> done = renderEach(read.profiles(), outputDir != null, stream);
        // As Selection.load and renderAll report them: every load error first, else every rule's error.
        List<Diagnostic> errors = new ArrayList<>();
        done.forEach(r -> errors.addAll(r.loadErrors()));
        if (errors.isEmpty()) {
            done.forEach(r -> errors.addAll(r.renderErrors()));
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
        // In one stream, and under the one kustomization.yaml of a grouped output directory (kustomize refuses
        // an object twice), each object may come from one profile only.
        requireDistinctObjects(done);
        if (outputDir == null) {
            printRenderedWarnings(done, err);
            stream.copyTo(out);
            out.flush();
            Phases.mark("output");
        } else if (!read.grouped()) {
            Rendered result = done.get(0);
            printRenderedWarnings(done, err);
            checkPrevious(outputDir, result.files(), refuseImmutable, err);
            OutputDir.write(outputDir, result.profileName(), result.files(), force);
            err.print("wrote " + result.files().size() + " files to " + outputDir + "\n");
            err.flush();
        } else {
            Selection.requireUniqueNames(done.stream().map(Rendered::source).toList(), "each profile gets the subdirectory of its name");
            Map<String, Map<String, String>> groups = new LinkedHashMap<>();
            for (Rendered r : done) {
                groups.put(r.source().profile().name(), r.files());
            }
            Map<String, String> files = OutputDir.grouped(groups);
            printRenderedWarnings(done, err);
            checkPrevious(outputDir, files, refuseImmutable, err);
            OutputDir.write(outputDir, List.copyOf(groups.keySet()), files, force);
            err.print("wrote " + files.size() + " files for " + groups.size() + (groups.size() == 1 ? " profile" : " profiles")
                    + " to " + outputDir + "\n");
            err.flush();
        }
        return ExitCode.OK;
    }

    /**
     * A change the API server will not apply over the earlier output in the directory (SPEC "Day 2"): warned about, or
     * refused with --refuse-immutable. Only a directory with redisgen's record has an earlier output; without one the
     * diff classes are never loaded (render runs thousands of times a day).
     */
    private static void checkPrevious(Path outputDir, Map<String, String> files, boolean refuseImmutable, PrintWriter err) {
        if (PreviousOutput.present(outputDir)) {
            PreviousOutput.check(outputDir, files, refuseImmutable, err);
        }
    }

    /**
     * Each profile loaded, rendered and written to text; several at once on the available cores, the results in the
     * order given. At most {@link #AHEAD} profiles per thread are in flight beyond the one being spooled, so memory does
     * not grow with the number of profiles (a thread that finishes early waits for the order to catch up). An exception
     * other than bad input (a bug) is rethrown as it was thrown.
     */
    private static List<Rendered> renderEach(List<Selection.Pending> pending, boolean toFiles, Spool stream) throws IOException {
        int threads = Math.min(pending.size(), Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            List<Rendered> done = new ArrayList<>();
            for (Selection.Pending p : pending) {
                done.add(spool(renderOne(p, toFiles, pending.size() == 1), stream));
            }
            return done;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "render");
            t.setDaemon(true);
            return t;
        });
        try {
            int window = threads * AHEAD;
            ArrayDeque<Future<Rendered>> inFlight = new ArrayDeque<>();
            int next = 0;
            List<Rendered> done = new ArrayList<>();
            while (done.size() < pending.size()) {
                while (next < pending.size() && inFlight.size() < window) {
                    Selection.Pending p = pending.get(next++);
                    inFlight.add(pool.submit(() -> renderOne(p, toFiles, false)));
                }
                done.add(spool(inFlight.poll().get(), stream));
            }
            return done;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Profiles in flight per render thread: enough that no thread waits for work while one profile is spooled. */
    private static final int AHEAD = 3;

    /** The stream's text goes to the spool, in order, as soon as it is there; the record keeps the rest. */
    private static Rendered spool(Rendered r, Spool stream) throws IOException {
        if (r.yaml() == null) {
            return r;
        }
        stream.add(r.yaml());
        return new Rendered(null, r.displayName(), r.namespaceAt(), r.loadErrors(), r.renderErrors(), r.profileName(), r.ids(), r.warnings(),
                null, r.files());
    }

    private static Rendered renderOne(Selection.Pending pending, boolean toFiles, boolean phases) {
        LoadedProfile source;
        try {
            source = pending.load().get();
        } catch (InputException e) {
            return new Rendered(null, pending.displayName(), null, pending.attribute(e.diagnostics()), List.of(), null, List.of(), List.of(), null,
                    null);
        }
        if (phases) {
            Phases.mark("load");
        }
        Pipeline.Result r;
        try {
            r = Pipeline.render(source);
        } catch (InputException e) {
            return new Rendered(source, source.displayName(), null, List.of(), e.diagnostics(), null, List.of(), List.of(), null, null);
        }
        if (phases) {
            Phases.mark("render");
        }
        List<String> ids = new ArrayList<>();
        for (HasMetadata object : r.objects()) {
            String namespace = object.getMetadata().getNamespace();
            ids.add(object.getKind() + " " + (namespace == null ? "" : namespace + "/") + object.getMetadata().getName());
        }
        List<Diagnostic> warnings = r.findings().stream().filter(d -> d.severity() == Severity.WARNING).toList();
        List<ByteBuffer> yaml = toFiles ? null : YamlWriter.writeUtf8(r.objects());
        Map<String, String> files = toFiles ? OutputDir.files(r.objects()) : null;
        if (phases) {
            Phases.mark(toFiles ? "files" : "yaml-write");
        }
        return new Rendered(source, source.displayName(), source.sourceMap().locate("/namespace/name"), List.of(), List.of(),
                r.plan().profileName(), List.copyOf(ids), warnings, yaml, files);
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
    private static void requireDistinctObjects(List<Rendered> results) {
        Map<String, Integer> owners = new HashMap<>();
        // "first second" (indexes into results) to the objects both render, in stream order.
        Map<String, List<String>> shared = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            for (String id : results.get(i).ids()) {
                Integer first = owners.putIfAbsent(id, i);
                if (first != null && first != i) {
                    shared.computeIfAbsent(first + " " + i, k -> new ArrayList<>()).add(id);
                }
            }
        }
        List<Diagnostic> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> pair : shared.entrySet()) {
            String[] indexes = pair.getKey().split(" ");
            Rendered first = results.get(Integer.parseInt(indexes[0]));
            Rendered second = results.get(Integer.parseInt(indexes[1]));
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
                        second.namespaceAt()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
    }

    private static void printRenderedWarnings(List<Rendered> results, PrintWriter err) {
        for (Rendered r : results) {
            for (Diagnostic d : r.warnings()) {
                err.print(d.format() + "\n");
            }
        }
        err.flush();
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
