package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.Plan;
import dev.redisgen.profile.LoadedProfile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
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
            new AclUsersValid(),
            new TlsValid(),
            new KubernetesValues(),
            new SelectorLabels(),
            new PlacementFits(),
            new StorePersistence(),
            new ClusterHeals(),
            new ServiceExposure(),
            new ServicePlaintext(),
            // Counted from the plan, so it is reported beside the other findings rather than only when they are fixed.
            new ServiceCountFitsQuota());
    private static final List<Rule> OUTPUT = List.of(
            new UniqueObjectNames());

    private Rules() {
    }

    /** Stable ids of every rule, for documentation and tests. */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>();
        INPUT.forEach(r -> ids.add(r.id()));
        OUTPUT.forEach(r -> ids.add(r.id()));
        ids.add(Acknowledge.ID);
        return ids;
    }

    /** Ids of the rules that can warn: the ones a profile may acknowledge. */
    public static List<String> warningIds() {
        return all().stream().filter(Rule::warns).map(Rule::id).toList();
    }

    /**
     * Applies the profile's `acknowledge` entries to every finding of the rules (input and output), and sorts the
     * result in document order.
     *
     * @param complete false when the rules ran on a profile whose broken values were left out (lint with load
     *                 errors): an entry that matches nothing is then not reported
     */
    public static List<Diagnostic> acknowledge(LoadedProfile source, Plan plan, List<Diagnostic> findings, boolean complete) {
        List<Diagnostic> out = new ArrayList<>(Acknowledge.apply(new Context(source, plan, List.of()), all(), findings, complete));
        out.sort(source.sourceMap().documentOrder());
        return List.copyOf(out);
    }

    private static List<Rule> all() {
        List<Rule> all = new ArrayList<>(INPUT);
        all.addAll(OUTPUT);
        return all;
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
        // Report in document order so the first message is the first problem in the file (the profile's, then the overrides').
        out.sort(ctx.source().sourceMap().documentOrder());
        return List.copyOf(out);
    }
}
