package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.Plan;
import dev.redisgen.profile.LoadedProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The verification rules, in the order they run (one visible list). Input rules judge the profile and the
 * plan before anything is rendered; output rules judge the rendered objects.
 */
public final class Rules {
    private static final List<Rule> INPUT = List.of(
            new ValueRanges(),
            new TopologySections(),
            new ShapeOfTopology(),
            new QuorumRange(),
            new SentinelMonitorsPod(),
            new ResourcesComplete(),
            new MaxmemoryHeadroom(),
            new EvictionForPurpose(),
            new LimitRangeFit(),
            new ResourceQuotaFit(),
            new DisruptionBudgetDrains(),
            new MonitoringNeedsExporter(),
            new AuthConfigured(),
            new KubernetesValues(),
            new SelectorLabels(),
            new ServiceExposure());
    private static final List<Rule> OUTPUT = List.of(
            new UniqueObjectNames(),
            new ServiceCountFitsQuota());

    private Rules() {
    }

    /** Stable ids of every rule, for documentation and tests. */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>();
        INPUT.forEach(r -> ids.add(r.id()));
        OUTPUT.forEach(r -> ids.add(r.id()));
        return ids;
    }

    public static List<Diagnostic> checkInput(LoadedProfile source, Plan plan) {
        return run(INPUT, new Context(source, plan, List.of()));
    }

    public static List<Diagnostic> checkOutput(LoadedProfile source, Plan plan, List<HasMetadata> objects) {
        return run(OUTPUT, new Context(source, plan, objects));
    }

    private static List<Diagnostic> run(List<Rule> rules, Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (Rule r : rules) {
            out.addAll(r.check(ctx));
        }
        // Report in document order so the first message is the first problem in the file.
        out.sort(Comparator.comparingInt((Diagnostic d) -> d.location().line()).thenComparingInt(d -> d.location().column()));
        return List.copyOf(out);
    }
}
