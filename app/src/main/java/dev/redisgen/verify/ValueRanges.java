package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.profile.DeploymentSpec;
import dev.redisgen.profile.ProbesSpec;
import dev.redisgen.profile.AntiAffinity;
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
    private static final Pattern CRON_FIELD = Pattern.compile("[0-9*/,?LW#A-Za-z-]+");
    /** Kubernetes names derived from the deployment name must stay DNS labels of at most 63 characters. */
    private static final int MAX_NAME = 63;
    /** A StatefulSet's pods carry controller-revision-hash = name + "-" + 10 characters, a 63-character label. */
    private static final int MAX_STATEFULSET_NAME = 52;

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
            if (d.exporter() != null) {
                Set<Integer> used = new HashSet<>(List.of(6379, 26379, 16379, 6380));
                // The fix names only the ports this topology has: a Sentinel exporter exists only with Sentinel.
                String fix = plan.sentinel() != null ? "use 9121 (Redis) and 9355 (Sentinel)" : "use 9121";
                port(ctx, out, p + "/exporter/port", d.exporter().port(), used, fix);
                if (plan.sentinel() != null) {
                    port(ctx, out, p + "/exporter/sentinelPort", d.exporter().sentinelPort(), used, fix);
                }
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
            for (int j = 0; j < placement.topologyKeys().size(); j++) {
                String key = placement.topologyKeys().get(j);
                if (key == null || key.isBlank() || key.contains(" ")) {
                    out.add(err(ctx, p + "/placement/topologyKeys/" + j, "'" + key + "' is not a node label key", "use kubernetes.io/hostname or topology.kubernetes.io/zone"));
                }
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
                    String[] fields = s.schedule().trim().split("\\s+");
                    boolean macro = s.schedule().trim().startsWith("@");
                    if (!macro && (fields.length != 5 || !java.util.Arrays.stream(fields).allMatch(f -> CRON_FIELD.matcher(f).matches()))) {
                        out.add(err(ctx, bp + "/schedule", "'" + s.schedule() + "' is not a five-field cron expression", "write it like \"0 2 * * *\""));
                    }
                    if (s.timeZone().isBlank() || s.timeZone().contains(" ")) {
                        out.add(err(ctx, bp + "/timeZone", "'" + s.timeZone() + "' is not an IANA time zone", "use Etc/UTC"));
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

    private void names(Context ctx, List<Diagnostic> out, String p, dev.redisgen.plan.RedisPlan plan) {
        var n = plan.names();
        List<String> all = new ArrayList<>(List.of(n.headless(), n.write(), n.readOnly(), n.sentinel(), n.sentinelHeadless(), n.metrics(),
                n.config(), n.scripts(), n.proxy(), n.proxyConfig(), n.clusterCreateJob(), n.backupClaim(), n.dataClaim(), n.dashboard()));
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
        boolean statefulSet = !plan.isStandalone();
        if (statefulSet && (n.statefulSet().length() > MAX_STATEFULSET_NAME || n.sentinelStatefulSet().length() > MAX_STATEFULSET_NAME && plan.sentinel() != null)) {
            out.add(err(ctx, p + "/name", "StatefulSet names longer than 52 characters break the controller-revision-hash label of their pods",
                    "shorten the deployment name to 43 characters or fewer"));
        }
    }

    private void positive(Context ctx, List<Diagnostic> out, String pointer, String what, int value, String why) {
        if (value < 1) {
            out.add(err(ctx, pointer, what + " " + value + " must be positive: " + why, "use a value of 1 or more"));
        }
    }

    private void port(Context ctx, List<Diagnostic> out, String pointer, int port, Set<Integer> used, String fix) {
        if (port < 1024 || port > 65535) {
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
