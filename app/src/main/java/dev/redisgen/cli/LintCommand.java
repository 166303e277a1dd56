package dev.redisgen.cli;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Severity;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.LoadedProfile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "lint",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Runs the verification rules on a profile.",
            "",
            "Prints every finding (errors, warnings, notes) with file:line:col and the fix, then a summary "
                    + "line for all the profiles together. Exits 1 when there is an error or a warning, else 0."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen lint --profile my-team.yaml",
            "  redisgen lint --profile deploy/profiles/",
            "  redisgen lint --profile airflow --set 'deployments[0].sentinel.quorum=3'",
            "  redisgen profiles show airflow | redisgen lint --profile -",
            "  redisgen lint --all"})
final class LintCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // All profiles first: a profile that does not even load is bad input (exit 2) with nothing on stdout.
        List<Diagnostic> findings = new ArrayList<>();
        for (LoadedProfile source : selection.load(spec).profiles()) {
            findings.addAll(Pipeline.run(source).findings());
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
        return errors + warnings > 0 ? ExitCode.PROBLEM : ExitCode.OK;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
