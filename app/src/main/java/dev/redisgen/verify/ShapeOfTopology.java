package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pod counts that cannot work: a Sentinel set with nothing to promote, a cluster below 3 masters, two standalone pods; and
 * pod counts beyond what the topology is built for (a Sentinel deployment above 100 pods, a cluster above Redis Cluster's
 * 1000 nodes), which would also make the rendered configs grow with their square.
 */
final class ShapeOfTopology implements Rule {
    /**
     * Every Sentinel monitors every Redis pod and talks to every other Sentinel, and the write endpoint health-checks each
     * Redis pod through each Sentinel: configs and connections grow with pods × Sentinels.
     */
    static final int MAX_SENTINEL_PODS = 100;
    /** The cluster bus is a full mesh; Redis Cluster is designed for up to 1000 nodes (cluster specification). */
    static final int MAX_CLUSTER_NODES = 1000;
    @Override
    public String id() {
        return "topology-shape";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            String p = d.pointer();
            if (!seen.add(d.name())) {
                out.add(Diagnostic.error(id(), "two deployments are named '" + d.name() + "'; their objects would overwrite each other",
                        "give each deployment its own `name`", ctx.at(p + "/name")));
            }
            var spec = ctx.profile().deployments().get(Integer.parseInt(p.substring(p.lastIndexOf('/') + 1)));
            switch (d.topology()) {
                case SENTINEL -> {
                    // Writes need min-replicas-to-write 1 (the split-brain fence): after one fault a 2-pod deployment has
                    // a master and no replica, refusing every write (NOREPLICAS), or taking them degraded (the guard, while a
                    // Sentinel majority names it) where no WAIT can confirm one, until the failed pod is back, which can take
                    // minutes (found by `redisgen drill`). 3 pods keep a replica after any single fault.
                    if (d.redisReplicas() < 3) {
                        out.add(Diagnostic.error(id(), "a Sentinel deployment needs at least 3 Redis pods; '" + d.name() + "' has "
                                + d.redisReplicas() + ": after any single fault " + (d.redisReplicas() < 2 ? "there is nothing to promote"
                                : "the promoted master has no replica: it takes writes only degraded (the guard lowers min-replicas-to-write"
                                + " while a Sentinel majority names it), which WAIT cannot confirm and a second fault loses, until the failed"
                                + " pod is back"),
                                "set `replicas: 3`", ctx.at(p + "/replicas")));
                    }
                    if (d.redisReplicas() > MAX_SENTINEL_PODS) {
                        out.add(Diagnostic.error(id(), "'" + d.name() + "' asks for " + d.redisReplicas() + " Redis pods; a Sentinel"
                                        + " deployment renders at most " + MAX_SENTINEL_PODS + ": every Sentinel monitors every pod, and the write"
                                        + " endpoint checks each pod through each Sentinel",
                                "use a few replicas (3 or 5); for more capacity use `topology: cluster`", ctx.at(p + "/replicas")));
                    }
                    if (d.sentinel() != null && d.sentinel().separate() && d.sentinel().sentinels() > MAX_SENTINEL_PODS) {
                        out.add(Diagnostic.error(id(), "'" + d.name() + "' asks for " + d.sentinel().sentinels() + " Sentinels; redisgen renders"
                                + " at most " + MAX_SENTINEL_PODS + " (each talks to every other one)", "use 3 (or 5) Sentinels",
                                ctx.at(p + "/sentinel/replicas")));
                    }
                    if (d.sentinel() != null && d.sentinel().sentinels() < 3) {
                        out.add(Diagnostic.error(id(), "Sentinel needs at least 3 Sentinels to survive the loss of one and still"
                                        + " reach a majority for failover authorization; '" + d.name() + "' has " + d.sentinel().sentinels(),
                                "use 3 (or 5) Sentinels", ctx.at(p + (d.sentinel().separate() ? "/sentinel/replicas" : "/replicas"))));
                    }
                }
                case CLUSTER -> {
                    var c = d.cluster();
                    if (c.shards() < 3) {
                        out.add(Diagnostic.error(id(), "Redis Cluster needs at least 3 masters: failover is authorized by a majority of"
                                + " masters, and redis-cli --cluster create refuses fewer; '" + d.name() + "' has " + c.shards(),
                                "set `cluster.shards: 3` or more", ctx.at(p + "/cluster/shards")));
                    }
                    if (c.replicasPerShard() < 0) {
                        out.add(Diagnostic.error(id(), "replicasPerShard cannot be negative", "set `cluster.replicasPerShard: 1`",
                                ctx.at(p + "/cluster/replicasPerShard")));
                    }
                    // In long: the plan's int product may have overflowed.
                    long nodes = (long) c.shards() * (1 + (long) c.replicasPerShard());
                    if (nodes > MAX_CLUSTER_NODES) {
                        out.add(Diagnostic.error(id(), "'" + d.name() + "' asks for " + c.shards() + " shards × (1 + " + c.replicasPerShard()
                                        + ") = " + nodes + " cluster nodes; Redis Cluster is built for at most " + MAX_CLUSTER_NODES
                                        + " (the cluster bus is a full mesh)",
                                "use fewer shards or replicas per shard", ctx.at(p + (c.shards() > MAX_CLUSTER_NODES ? "/cluster/shards"
                                        : "/cluster/replicasPerShard"))));
                    }
                    if (spec.replicas() != null && spec.replicas() != d.redisReplicas()) {
                        out.add(Diagnostic.error(id(), "a Redis Cluster has shards × (1 + replicasPerShard) = " + d.redisReplicas()
                                        + " pods, but `replicas` says " + spec.replicas(),
                                "remove `replicas` (it is derived) or change the cluster shape", ctx.at(p + "/replicas")));
                    }
                }
                case STANDALONE -> {
                    if (d.redisReplicas() != 1) {
                        out.add(Diagnostic.error(id(), "a standalone Redis is one pod; " + d.redisReplicas() + " independent caches behind"
                                        + " one Service would each see a different part of the writes",
                                "remove `replicas`, or use `topology: sentinel` for replicas with failover", ctx.at(p + "/replicas")));
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return out;
    }
}
