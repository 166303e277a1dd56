package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.profile.DeploymentSpec;
import dev.redisgen.profile.Purpose;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A broker or a store must not evict: with allkeys-lru a Celery/Airflow broker under memory pressure drops
 * queued task messages silently (seed 004). noeviction makes Redis refuse writes instead, which the producer
 * sees. When the policy was left to redisgen, a note says which one it chose and why.
 */
final class EvictionForPurpose implements Rule {
    @Override
    public String id() {
        return "eviction-policy";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        List<DeploymentSpec> ds = ctx.profile().deployments();
        for (int i = 0; i < ds.size(); i++) {
            DeploymentSpec d = ds.get(i);
            String p = "/deployments/" + i;
            var policy = d.redis().maxmemoryPolicy();
            String purpose = d.purpose().name().toLowerCase(Locale.ROOT);
            if (d.purpose() != Purpose.CACHE && policy != null && policy.evicts()) {
                out.add(Diagnostic.error(id(), "deployment '" + d.name() + "' is a " + purpose + " but evicts keys with " + policy.redisName()
                                + ": under memory pressure Redis deletes " + (d.purpose() == Purpose.BROKER ? "queued task messages" : "data of record")
                                + " silently instead of refusing the write",
                        "set `maxmemoryPolicy: noeviction` (or remove it; a " + purpose + " defaults to noeviction)", ctx.at(p + "/redis/maxmemoryPolicy")));
            } else if (d.purpose() == Purpose.BROKER && policy == null) {
                out.add(Diagnostic.note(id(), "deployment '" + d.name() + "' is a broker, so maxmemory-policy is noeviction: an evicting policy"
                                + " such as allkeys-lru would drop queued tasks silently; with noeviction a full Redis refuses the write"
                                + " and the producer sees the error",
                        null, ctx.at(p + "/purpose")));
            }
        }
        return out;
    }
}
