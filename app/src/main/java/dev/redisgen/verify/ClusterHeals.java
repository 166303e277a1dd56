package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.Purpose;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis Cluster shapes that cannot heal by themselves (issue 8). A node keeps its identity, its role and every
 * other node's in nodes.conf: on an emptyDir every pod restart loses it, and a restart of every pod at once (a
 * node-pool upgrade) leaves only strangers, which no creation Job will join again since it already ran. A shard
 * without replicas has nothing to fail over to: its slots are unserved while its master is away, and gone with its
 * volume. (Fewer than 3 masters and hard anti-affinity over more zones than there are are topology-shape's and
 * placement's.)
 */
final class ClusterHeals implements Rule {
    @Override
    public String id() {
        return "cluster-heals";
    }

    @Override
    public boolean warns() {
        return true;
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            if (!d.isCluster() || d.cluster() == null) {
                continue;
            }
            String p = d.pointer();
            if (d.persistence() == null) {
                // A warning, not an error: a throw-away cache may accept re-creating the cluster by hand (delete the
                // creation Job and apply again) after a full restart; every pod restart is still healed by cluster-heal.sh.
                out.add(Diagnostic.warning(id(), "Redis Cluster '" + d.name() + "' has no persistence: nodes.conf (the node's identity, its"
                                + " role and the other nodes' addresses) lives in an emptyDir, so every restarted pod comes back a stranger"
                                + " that must be re-added as a replica, and after a restart of every pod at once nothing is left to rejoin"
                                + " (the creation Job has already run)",
                        "add `persistence: {size: 1Gi}` (RDB and AOF are optional for a cache; nodes.conf needs the volume)",
                        ctx.at(p + "/topology")));
            }
            if (d.cluster().replicasPerShard() == 0) {
                String message = "Redis Cluster '" + d.name() + "' has no replica per shard: a master that fails takes its slots down until it"
                        + " is back, and a lost volume loses them for good";
                String fix = "set `cluster.replicasPerShard: 1`";
                if (d.purpose() == Purpose.STORE) {
                    out.add(Diagnostic.error(id(), message + "; a store cannot lose them", fix, ctx.at(p + "/cluster/replicasPerShard")));
                } else {
                    out.add(Diagnostic.warning(id(), message, fix + " (or acknowledge the warning for a cache that can be rebuilt)",
                            ctx.at(p + "/cluster/replicasPerShard")));
                }
            } else if (d.cluster().replicasPerShard() == 1) {
                // The cost of the write fence (min-replicas-to-write 1, redis.conf): said where it applies, as a note.
                out.add(Diagnostic.note(id(), "Redis Cluster '" + d.name() + "' has one replica per shard: a master whose replica is away"
                                + " (a crash, a lost node) refuses writes (NOREPLICAS) from min-replicas-max-lag after the replica stopped"
                                + " answering until the cluster flags it failing, about cluster-node-timeout later (a graceful stop lifts the"
                                + " fence at once); that write fence keeps a master cut off from the others from taking writes the promoted"
                                + " replica would lose",
                        "set `cluster.replicasPerShard: 2` to keep taking writes while one replica is away",
                        ctx.at(p + "/cluster/replicasPerShard")));
            }
        }
        return out;
    }
}
