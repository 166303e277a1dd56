package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.PodPlan;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.AntiAffinity;
import dev.redisgen.profile.TopologySpread;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Hard (required) anti-affinity puts every pod of a workload in a zone, or on a node, of its own. With more pods than
 * zones or nodes the rest stay Pending forever: a Sentinel deployment runs without replicas it counts on, a Redis
 * Cluster without a shard's copy, and a rolling update (the proxy's surge pod included) never completes. Seed 003
 * asked for spreading "across nodes and availability zones"; with 6 pods that can only be soft over zones.
 * Zones are judged against `minZones` (an error) or the 3 of most regions (a warning); nodes against `minNodes`
 * only, as no number of nodes is typical.
 */
final class PlacementFits implements Rule {
    /** Zones lint assumes when the profile does not say: the usual cloud region. */
    static final int ASSUMED_ZONES = 3;
    private static final Set<String> ZONE_KEYS = Set.of("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone");
    private static final String NODE_KEY = "kubernetes.io/hostname";

    @Override
    public String id() {
        return "placement";
    }

    @Override
    public boolean warns() {
        return true;
    }

    /**
     * A hard (DoNotSchedule) spread over zones schedules pods only on nodes that carry the zone label: on a cluster
     * without zones (bare metal, kind, one-zone installs) every pod stays Pending. `minZones` says the zones exist.
     */
    private void hardSpread(Context ctx, RedisPlan d, List<Diagnostic> out) {
        var placement = d.placement();
        if (placement.spread() != TopologySpread.HARD || placement.minZones() != null) {
            return;
        }
        placement.spreadKeys().stream().filter(ZONE_KEYS::contains).findFirst().ifPresent(key -> out.add(Diagnostic.warning(id(),
                "`spread: hard` over " + key + " of '" + d.name() + "' schedules pods only on nodes labelled with " + key
                        + ": on a cluster whose nodes carry no zone label every pod stays Pending, and `minZones` does not say the"
                        + " nodes span zones",
                "set `minZones` to the number of zones your nodes span, or use `spread: soft`", ctx.at(d.pointer() + "/placement/spread"))));
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            hardSpread(ctx, d, out);
            var placement = d.placement();
            if (placement.antiAffinity() != AntiAffinity.HARD) {
                continue;
            }
            String zoneKey = placement.topologyKeys().stream().filter(ZONE_KEYS::contains).findFirst().orElse(null);
            if (zoneKey != null) {
                check(ctx, d, zoneKey, "zone", "zones", placement.minZones() == null ? ASSUMED_ZONES : placement.minZones(),
                        placement.minZones() != null, out);
            }
            if (placement.topologyKeys().contains(NODE_KEY) && placement.minNodes() != null) {
                check(ctx, d, NODE_KEY, "node", "nodes", placement.minNodes(), true, out);
            }
        }
        return out;
    }

    /** Each server workload of {@code d} against {@code count} domains (zones or nodes); {@code known}: the profile states the count. */
    private void check(Context ctx, RedisPlan d, String key, String domain, String domains, int count, boolean known, List<Diagnostic> out) {
        String p = d.pointer() + "/placement";
        String field = domain.equals("zone") ? "minZones" : "minNodes";
        for (PodPlan pod : d.pods()) {
            // Anti-affinity is on the long-running workloads (Jobs run once and are not spread).
            boolean server = pod.kind().equals("StatefulSet") || pod.kind().equals("Deployment");
            if (!server || pod.maxPods() <= count || d.isStandalone() && pod.name().equals(d.names().statefulSet())) {
                continue;
            }
            String surge = pod.name().equals(d.names().proxy()) ? " (" + (pod.maxPods() - 1) + " replicas and the rollout's surge pod)" : "";
            String message = "hard anti-affinity over " + key + " needs a " + domain + " of its own for each of the " + pod.maxPods() + " pods"
                    + surge + " of " + pod.kind() + " " + pod.name() + ", but "
                    + (!known ? "the cluster's nodes span " + count + " zones in most regions (`minZones` is not set)"
                    : domain.equals("zone") ? "`minZones` says the nodes span " + count : "`minNodes` says " + count + " nodes can run them")
                    + ": " + (pod.maxPods() - count) + " of them would stay Pending"
                    + (pod.name().equals(d.names().proxy()) ? " and a rollout would never finish" : " and a rolling update would never finish");
            String fix = "use `antiAffinity: soft` (spread where possible), run at most " + count + " pods"
                    + (!known ? ", or set `" + field + "` to the number of " + domains + " your nodes really span"
                    : domain.equals("node") ? ", or give the pods more nodes and raise `minNodes`" : "");
            out.add(known
                    ? Diagnostic.error(id(), message, fix, ctx.at(p + "/" + field))
                    : Diagnostic.warning(id(), message, fix, ctx.at(p + "/antiAffinity")));
        }
    }
}
