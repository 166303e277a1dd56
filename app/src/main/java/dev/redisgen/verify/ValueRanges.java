package dev.redisgen.verify;

import dev.redisgen.plan.Names;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.profile.DeploymentSpec;
import dev.redisgen.profile.ProbesSpec;
import dev.redisgen.profile.AntiAffinity;
import dev.redisgen.profile.TopologySpread;
import dev.redisgen.validation.Validation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Values that are well-typed but outside what Redis, Sentinel or the Kubernetes API accept. Each message says
 * which component would reject it, so the profile is refused here, with its location, instead of at apply time
 * (or by a crash-looping pod).
 */
final class ValueRanges implements Rule {
    private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SAVE_POINT = Pattern.compile("[1-9][0-9]{0,8} [1-9][0-9]{0,8}");
    private static final Pattern DURATION = Pattern.compile("[1-9][0-9]*(ms|s|m|h)");
    /** Kubernetes names derived from the deployment name must stay DNS labels of at most 63 characters. */
    private static final int MAX_NAME = Validation.DNS1123_LABEL_MAX_LENGTH;

    @Override
    public String id() {
        return "value-range";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        List<DeploymentSpec> ds = ctx.profile().deployments();
        if (ds.isEmpty()) {
            out.add(Diagnostic.error(id(), "the profile has no deployments: there is nothing to render",
                    "add a deployment, e.g. `- {name: redis, topology: sentinel}`", ctx.at("/deployments")));
        }
        for (int i = 0; i < ds.size(); i++) {
            DeploymentSpec d = ds.get(i);
            String p = "/deployments/" + i;
            var plan = ctx.plan().deployments().get(i);
            if (d.replicas() != null && d.replicas() < 0) {
                out.add(err(ctx, p + "/replicas", "replicas " + d.replicas() + " is negative", "set a pod count of 1 or more"));
            }
            if (d.sentinel() != null) {
                var s = d.sentinel();
                String sp = p + "/sentinel";
                if (!MASTER_NAME.matcher(s.masterName()).matches()) {
                    out.add(err(ctx, sp + "/masterName", "master name '" + s.masterName() + "' is not a single word of letters, digits, '.', '_' or"
                            + " '-': Sentinel reads it as one token of `sentinel monitor <name> ...`", "use a name like `mymaster`"));
                }
                positive(ctx, out, sp + "/downAfterMilliseconds", "down-after-milliseconds", s.downAfterMilliseconds(), "Sentinel rejects it");
                positive(ctx, out, sp + "/failoverTimeoutMilliseconds", "failover-timeout", s.failoverTimeoutMilliseconds(), "Sentinel rejects it");
                positive(ctx, out, sp + "/parallelSyncs", "parallel-syncs", s.parallelSyncs(), "no replica would ever resync with a new master");
                if (s.replicas() != null && s.replicas() < 1) {
                    out.add(err(ctx, sp + "/replicas", "Sentinel replicas " + s.replicas() + " leaves nobody to watch the master", "use 3 Sentinels"));
                }
            }
            if (d.cluster() != null) {
                positive(ctx, out, p + "/cluster/nodeTimeoutMilliseconds", "cluster-node-timeout", d.cluster().nodeTimeoutMilliseconds(), "Redis rejects it");
            }
            if (d.persistence() != null) {
                var rdb = d.persistence().rdb();
                for (int j = 0; j < rdb.size(); j++) {
                    if (rdb.get(j) == null || !SAVE_POINT.matcher(rdb.get(j)).matches()) {
                        out.add(err(ctx, p + "/persistence/rdb/" + j, "RDB save point '" + rdb.get(j) + "' is not \"<seconds> <changes>\" with two"
                                + " positive numbers, as redis.conf's `save` expects", "write it like \"900 1\""));
                    }
                }
                if (d.persistence().size().bytes() <= 0) {
                    out.add(err(ctx, p + "/persistence/size", "a PVC of size 0 cannot hold data", "set a size like 10Gi"));
                }
            }
            var r = d.redis();
            if (r.ioThreads() < 1 || r.ioThreads() > 128) {
                out.add(err(ctx, p + "/redis/ioThreads", "io-threads " + r.ioThreads() + " is outside 1..128, which Redis accepts", "use 1 (off) up to the CPU count"));
            }
            positive(ctx, out, p + "/redis/maxclients", "maxclients", r.maxclients(), "no client could connect");
            if (r.slowlogMicros() < -1) {
                out.add(err(ctx, p + "/redis/slowlogMicros", "slowlog-log-slower-than " + r.slowlogMicros() + " is below -1 (off)", "use 10000 (10 ms)"));
            }
            if (r.tcpKeepalive() < 0) {
                out.add(err(ctx, p + "/redis/tcpKeepalive", "tcp-keepalive cannot be negative", "use 300"));
            }
            Set<Integer> used = new HashSet<>(List.of(6379, 26379, 16379, 6380));
            if (d.exporter() != null) {
                // The fix names only the ports this topology has: a Sentinel exporter exists only with Sentinel.
                String fix = plan.sentinel() != null ? "use 9121 (Redis) and 9355 (Sentinel)" : "use 9121";
                port(ctx, out, p + "/exporter/port", d.exporter().port(), used, fix);
                if (plan.sentinel() != null) {
                    port(ctx, out, p + "/exporter/sentinelPort", d.exporter().sentinelPort(), used, fix);
                }
            }
            if (d.tls() != null && d.tls().plainPort() != null) {
                // On the Redis pods, beside TLS on 6379 (and Sentinel 26379, the bus 16379, the exporters): a port of its own.
                used.remove(6380); // the write endpoint's read port is on the proxy's pods, not the Redis pods
                port(ctx, out, p + "/tls/plainPort", d.tls().plainPort(), used, "use a free port above 1023 that differs from 6379, 16379,"
                        + " 26379 and the exporter ports, e.g. 6380, or remove `plainPort` to close plain text");
            }
            if (!DURATION.matcher(d.monitoring().interval()).matches()) {
                out.add(err(ctx, p + "/monitoring/interval", "scrape interval '" + d.monitoring().interval() + "' is not a Prometheus duration",
                        "write it like 30s or 1m"));
            }
            probe(ctx, out, p + "/probes/liveness", d.probes().liveness());
            probe(ctx, out, p + "/probes/readiness", d.probes().readiness());
            var placement = d.placement();
            if (placement.antiAffinity() == AntiAffinity.SOFT && (placement.weight() < 1 || placement.weight() > 100)) {
                out.add(err(ctx, p + "/placement/weight", "anti-affinity weight " + placement.weight() + " is outside 1..100, which the API server accepts",
                        "use 100"));
            }
            if (placement.antiAffinity() != AntiAffinity.NONE && placement.topologyKeys().isEmpty()) {
                out.add(err(ctx, p + "/placement/topologyKeys", "anti-affinity without a topology key spreads over nothing",
                        "use [kubernetes.io/hostname], or `antiAffinity: none`"));
            }
            if (placement.minZones() != null && placement.minZones() < 1) {
                out.add(err(ctx, p + "/placement/minZones", "minZones " + placement.minZones() + " says the nodes span no zone",
                        "set the number of zones your nodes span, e.g. 3"));
            }
            if (placement.minNodes() != null && placement.minNodes() < 1) {
                out.add(err(ctx, p + "/placement/minNodes", "minNodes " + placement.minNodes() + " says no node can run the pods",
                        "set the number of nodes the pods can run on, e.g. 3"));
            }
            if (placement.spread() != TopologySpread.NONE && placement.spreadKeys().isEmpty()) {
                out.add(err(ctx, p + "/placement/spreadKeys", "topology spread without a topology key spreads over nothing",
                        "use [topology.kubernetes.io/zone, kubernetes.io/hostname], or `spread: none`"));
            }
            if (placement.spread() != TopologySpread.NONE && placement.maxSkew() < 1) {
                out.add(err(ctx, p + "/placement/maxSkew", "maxSkew " + placement.maxSkew() + " must be greater than zero, which the API server"
                        + " requires of a topology spread constraint", "use 1 (the most even spread)"));
            }
            if (plan.proxy() != null && d.writeEndpoint().replicas() < 1) {
                out.add(err(ctx, p + "/writeEndpoint/replicas", "the write endpoint needs at least one proxy pod", "use 2 (or `enabled: false`)"));
            }
            var sec = d.security();
            if (sec.runAsUser() < 1 || sec.runAsGroup() < 0 || sec.fsGroup() < 0) {
                out.add(err(ctx, p + "/security", "runAsUser must be a non-root UID (1 or more) and the group IDs non-negative: the restricted"
                        + " Pod Security Standard rejects UID 0", "use 10001 (or the image's redis user, 999)"));
            }
            if (d.backup() != null) {
                Set<String> names = new HashSet<>();
                var schedules = d.backup().schedules();
                if (schedules.isEmpty()) {
                    out.add(err(ctx, p + "/backup/schedules", "backup has no schedule", "add e.g. `- {name: daily, schedule: \"0 2 * * *\", keep: 7}`"));
                }
                for (int j = 0; j < schedules.size(); j++) {
                    var s = schedules.get(j);
                    String bp = p + "/backup/schedules/" + j;
                    if (!names.add(s.name())) {
                        out.add(err(ctx, bp + "/name", "two backup schedules are named '" + s.name() + "'; their CronJobs would collide", "rename one"));
                    }
                    if (s.keep() < 1) {
                        out.add(err(ctx, bp + "/keep", "keep " + s.keep() + " would delete every backup it makes", "keep at least 1"));
                    }
                }
                if (d.backup().storage().size().bytes() <= 0) {
                    out.add(err(ctx, p + "/backup/storage/size", "a backup volume of size 0 cannot hold a snapshot", "size it for keep × dataset"));
                }
            }
            names(ctx, out, p, plan);
        }
        return out;
    }

    /**
     * Every name derived from the deployment's, at its longest: Services and Jobs (the job-name label) are DNS labels of at
     * most 63; a StatefulSet at most 52 (its pods' controller-revision-hash label is the name and 10 more characters); its
     * pods' host names ({@code <statefulset>-<ordinal>}) DNS labels; its claims ({@code <claim>-<statefulset>-<ordinal>})
     * DNS subdomains; a CronJob at most 52 (its Jobs append 11 characters).
     */
    private void names(Context ctx, List<Diagnostic> out, String p, dev.redisgen.plan.RedisPlan plan) {
        var n = plan.names();
        List<String> all = new ArrayList<>(List.of(n.headless(), n.write(), n.readOnly(), n.sentinel(), n.sentinelHeadless(), n.metrics(),
                n.config(), n.scripts(), n.proxy(), n.proxyConfig(), n.backupClaim(), n.dataClaim(), n.dashboard()));
        if (plan.isCluster()) {
            // The Job's name carries a hash of its spec (NameJobsAfterSpec): "-" and Names.JOB_HASH_LENGTH hex digits.
            all.add(n.clusterCreateJob() + "-" + "0".repeat(Names.JOB_HASH_LENGTH));
        }
        if (plan.backup() != null) {
            plan.backup().schedules().forEach(s -> all.add(n.backupCronJob(s.name())));
        }
        for (String name : all) {
            if (name.length() > MAX_NAME) {
                out.add(err(ctx, p + "/name", "the derived name '" + name + "' is longer than 63 characters, which Kubernetes rejects",
                        "shorten the deployment name (or override the Service names under `services:`)"));
                return;
            }
        }
        if (plan.backup() != null) {
            var schedules = plan.backup().schedules();
            for (int j = 0; j < schedules.size(); j++) {
                String cronJob = n.backupCronJob(schedules.get(j).name());
                if (cronJob.length() > Validation.CRONJOB_NAME_MAX_LENGTH) {
                    out.add(err(ctx, p + "/backup/schedules/" + j + "/name", "the CronJob name '" + cronJob + "' is longer than 52 characters:"
                                    + " the API server refuses it (its Jobs append 11 characters to a 63-character name)",
                            "shorten the schedule name to " + Math.max(1, Validation.CRONJOB_NAME_MAX_LENGTH - n.backupCronJob("").length())
                                    + " characters or fewer (or the deployment name)"));
                }
            }
        }
        boolean statefulSet = !plan.isStandalone();
        if (statefulSet && (n.statefulSet().length() > Validation.STATEFULSET_NAME_MAX_LENGTH
                || n.sentinelStatefulSet().length() > Validation.STATEFULSET_NAME_MAX_LENGTH && plan.sentinel() != null)) {
            out.add(err(ctx, p + "/name", "StatefulSet names longer than 52 characters break the controller-revision-hash label of their pods",
                    "shorten the deployment name to 43 characters or fewer"));
            return;
        }
        if (statefulSet) {
            List<String> pods = new ArrayList<>(List.of(n.podName(Math.max(0, plan.redisReplicas() - 1))));
            if (plan.sentinel() != null && plan.sentinel().separate()) {
                pods.add(n.sentinelPodName(Math.max(0, plan.sentinel().sentinels() - 1)));
            }
            for (String pod : pods) {
                List<String> host = Validation.isDNS1123Label(pod);
                // The longest claim: the sentinel-data template's, of the last pod.
                List<String> claim = Validation.isDNS1123Subdomain("sentinel-data-" + pod);
                if (!host.isEmpty() || !claim.isEmpty()) {
                    out.add(err(ctx, p + "/name", "the pod name '" + pod + "' (its host name, and part of its volume claims' names) "
                            + (host.isEmpty() ? claim : host).get(0), "shorten the deployment name, or run fewer pods"));
                    return;
                }
            }
        }
    }

    private void positive(Context ctx, List<Diagnostic> out, String pointer, String what, int value, String why) {
        if (value < 1) {
            out.add(err(ctx, pointer, what + " " + value + " must be positive: " + why, "use a value of 1 or more"));
        }
    }

    private void port(Context ctx, List<Diagnostic> out, String pointer, int port, Set<Integer> used, String fix) {
        // IsValidPortNum (1-65535), and above 1023: a non-root container cannot bind a privileged port.
        if (!Validation.isValidPortNum(port).isEmpty() || port < 1024) {
            out.add(err(ctx, pointer, "port " + port + " is outside 1024..65535 (a non-root container cannot bind below 1024)", fix));
        } else if (!used.add(port)) {
            out.add(err(ctx, pointer, "port " + port + " is already used by another container of the pod", fix));
        }
    }

    private void probe(Context ctx, List<Diagnostic> out, String pointer, ProbesSpec.Probe probe) {
        if (probe.initialDelaySeconds() < 0 || probe.periodSeconds() < 1 || probe.timeoutSeconds() < 1 || probe.failureThreshold() < 1) {
            out.add(err(ctx, pointer, "probe timings must be initialDelaySeconds ≥ 0 and periodSeconds, timeoutSeconds, failureThreshold ≥ 1;"
                    + " the API server rejects the pod otherwise", "use e.g. {initialDelaySeconds: 10, periodSeconds: 5}"));
        }
    }

    private Diagnostic err(Context ctx, String pointer, String message, String fix) {
        return Diagnostic.error(id(), message, fix, ctx.at(pointer));
    }
}
