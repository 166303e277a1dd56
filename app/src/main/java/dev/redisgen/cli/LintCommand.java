package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Severity;
import dev.redisgen.pipeline.Pipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lint",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Runs the verification rules on a profile.",
            "",
            "Prints every finding (errors, warnings, notes) with file:line:col (or the --set option) and the fix, load "
                    + "errors and rule findings together, profile by profile, then one summary line for all the profiles "
                    + "together. Exits 1 when any profile has an error (or, with --strict, a warning), else 0; 2 when a "
                    + "profile or values file cannot be read or bound at all (message on stderr). A warning the profile "
                    + "acknowledges (`acknowledge: [{rule: ID, reason: ...}]`) is a note."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen lint --profile my-team.yaml",
            "  redisgen lint --profile my-team.yaml --strict     # CI: warnings fail too",
            "  redisgen lint --profile deploy/profiles/",
            "  redisgen lint --profile airflow --set 'deployments[0].sentinel.quorum=3'",
            "  redisgen profiles show airflow | redisgen lint --profile -",
            "  redisgen lint --all"})
final class LintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Option(names = "--strict", description = "Exit 1 on warnings too (acknowledged warnings are notes and do not count).")
    boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // Every profile first: one that cannot be bound at all is bad input (exit 2) with nothing on stdout.
        List<Diagnostic> findings = new ArrayList<>();
        List<Diagnostic> unbound = new ArrayList<>();
        for (Selection.Pending p : selection.read(spec, true).profiles()) {
            try {
                findings.addAll(p.attribute(Pipeline.lint(p.load()).findings()));
            } catch (InputException e) {
                unbound.addAll(p.attribute(e.diagnostics()));
            }
        }
        if (!unbound.isEmpty()) {
            throw new InputException(unbound);
        }
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Diagnostic d : findings) {
            out.print(d.format() + "\n");
            counts.merge(d.severity(), 1, Integer::sum);
        }
        int errors = counts.getOrDefault(Severity.ERROR, 0);
        int warnings = counts.getOrDefault(Severity.WARNING, 0);
        out.print(count(errors, "error") + ", " + count(warnings, "warning") + ", " + count(counts.getOrDefault(Severity.NOTE, 0), "note") + "\n");
        out.flush();
        return errors > 0 || strict && warnings > 0 ? ExitCode.PROBLEM : ExitCode.OK;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
