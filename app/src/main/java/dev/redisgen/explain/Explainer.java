package dev.redisgen.explain;

import dev.redisgen.explain.Explanation.Claim;
import dev.redisgen.explain.Explanation.Container;
import dev.redisgen.explain.Explanation.Deployment;
import dev.redisgen.explain.Explanation.Port;
import dev.redisgen.explain.Explanation.Route;
import dev.redisgen.explain.Explanation.Workload;
import dev.redisgen.plan.Names;
import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@link Explanation} of a rendered profile: the topology from the rendered Services and
 * workloads (with the plan's decisions that are not visible in them: master name, quorum, roles), resource
 * totals, prerequisites and client settings.
 */
public final class Explainer {
    /** Service roles in the order the picture lists them: what applications use first. */
    private static final List<String> ROLE_ORDER = List.of("sentinel", "write", "read-only", "client", "node", "headless",
            "sentinel-headless", "metrics");

    private Explainer() {
    }

    /**
     * @param objects the rendered, decorated, sorted objects ({@code Pipeline.render(...).objects()})
     * @param source  where the profile came from, as diagnostics name it
     */
    public static Explanation explain(Plan plan, List<HasMetadata> objects, String source, String description) {
        String domain = plan.clusterDomain();
        List<Deployment> deployments = new ArrayList<>();
        for (RedisPlan d : plan.deployments()) {
            List<HasMetadata> own = objects.stream().filter(o -> d.name().equals(Manifests.instance(o))).toList();
            deployments.add(deployment(plan, d, own, domain));
        }
        return new Explanation(plan.profileName(), source, description == null || description.isBlank() ? null : description.strip(),
                plan.namespace().name(), plan.namespace().create(), domain, deployments, ResourceTotals.of(plan, objects),
                Prerequisites.of(plan, objects));
    }

    private static Deployment deployment(Plan plan, RedisPlan d, List<HasMetadata> own, String domain) {
        String ns = plan.namespace().name();
        List<Workload> workloads = new ArrayList<>();
        for (HasMetadata o : own) {
            if (Manifests.isWorkload(o)) {
                workloads.add(workload(d, o, ns));
            }
        }
        List<Route> routes = new ArrayList<>();
        for (HasMetadata o : own) {
            if (o instanceof Service s) {
                routes.add(route(d, s, own, ns, domain));
            }
        }
        routes.sort((a, b) -> Integer.compare(ROLE_ORDER.indexOf(a.role()), ROLE_ORDER.indexOf(b.role())));
        List<String> others = new ArrayList<>();
        for (HasMetadata o : own) {
            if (!(o instanceof Service) && !Manifests.isWorkload(o)) {
                others.add(other(d, o));
            }
        }
        return new Deployment(d.name(), lower(d.topology()), lower(d.purpose()), summary(d), facts(d), routes, workloads, others,
                Clients.connection(plan, d, own, domain));
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String summary(RedisPlan d) {
        return switch (d.topology()) {
            case SENTINEL -> "Redis with Sentinel: " + d.redisReplicas() + " Redis pods (one master, " + (d.redisReplicas() - 1)
                    + " replicas), " + d.sentinel().sentinels() + " Sentinels " + (d.sentinel().separate() ? "in their own pods" : "co-located, one in each Redis pod")
                    + "; master name " + d.sentinel().masterName() + ", quorum " + d.sentinel().quorum();
            case CLUSTER -> "Redis Cluster: " + d.redisReplicas() + " pods = " + d.cluster().shards() + " shards x (1 master + "
                    + d.cluster().replicasPerShard() + (d.cluster().replicasPerShard() == 1 ? " replica" : " replicas")
                    + "), 16384 hash slots; the nodes fail over by themselves over the cluster bus";
            case STANDALONE -> "one Redis pod (Deployment, Recreate strategy): no replica and no failover; a restart starts "
                    + (d.persistence() == null ? "empty" : "from its last save");
        };
    }

    /** Milliseconds as seconds: "18" or "26.5". */
    private static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    private static List<String> facts(RedisPlan d) {
        List<String> f = new ArrayList<>();
        if (d.sentinel() != null) {
            f.add("failover: down-after " + d.sentinel().downAfterMilliseconds() + " ms, failover-timeout "
                    + d.sentinel().failoverTimeoutMilliseconds() + " ms, parallel-syncs " + d.sentinel().parallelSyncs()
                    + "; Sentinels address pods by " + (d.sentinel().hostnames() ? "stable DNS name" : "IP resolved at start"));
        }
        if (d.cluster() != null) {
            long nt = d.cluster().nodeTimeoutMilliseconds();
            // Measured by the drill (master-kill): failing after node-timeout plus up to half of it (Redis pings a node once its
            // last PONG is half a node-timeout old), then the replica's election (0.5-1 s plus 1 s per rank) and its state turning ok.
            f.add("cluster-node-timeout " + nt + " ms: a master that dies is replaced by its replica in about "
                    + seconds(nt + 2000) + " to " + seconds(nt + nt / 2 + 4000) + " s (flagged failing after node-timeout to 1.5 x"
                    + " node-timeout, then the replica's election); clients are redirected (MOVED/ASK) to the nodes' stable DNS names");
        }
        f.add("purpose " + lower(d.purpose()) + ": maxmemory " + d.redis().maxmemory() + ", maxmemory-policy " + d.redis().maxmemoryPolicy()
                + (d.redis().minReplicasToWrite() > 0 ? "; a master takes writes with a replica linked (min-replicas-to-write "
                + d.redis().minReplicasToWrite() + ")" + (d.sentinel() != null ? ", or with none online only while a Sentinel majority names"
                + " it (degraded: WAIT confirms nothing then)" : "") : ""));
        if (d.persistence() == null) {
            f.add("no persistence: data lives in an emptyDir and is lost with the pod");
        } else {
            var p = d.persistence();
            String rdb = p.rdb() == null || p.rdb().isEmpty() ? "RDB off" : "RDB save " + String.join(", ", p.rdb());
            f.add("persistence: " + rdb + "; AOF " + lower(p.aof()) + "; " + p.size() + " per Redis pod ("
                    + (p.storageClass() == null ? "default StorageClass" : "StorageClass " + p.storageClass()) + ")");
        }
        if (d.auth() == null) {
            f.add("no AUTH: any pod that can reach the Services can read and write");
        } else {
            f.add("AUTH: Redis password from Secret " + d.auth().secretName() + " key " + d.auth().passwordKey()
                    + (d.sentinel() == null ? "" : d.auth().sentinelPasswordKey() == null ? "; Sentinel has no password"
                    : "; Sentinel password from key " + d.auth().sentinelPasswordKey()));
        }
        return f;
    }

    private static String role(Service s) {
        String component = Manifests.label(s, Manifests.COMPONENT);
        boolean headless = "None".equals(s.getSpec().getClusterIP());
        if (headless && "redis".equals(component)) {
            return "headless";
        }
        if (headless && "sentinel".equals(component)) {
            return "sentinel-headless";
        }
        return component;
    }

    private static Route route(RedisPlan d, Service s, List<HasMetadata> own, String ns, String domain) {
        String role = role(s);
        List<Port> ports = s.getSpec().getPorts().stream().map(p -> new Port(p.getName(), p.getPort())).toList();
        String audience = switch (role) {
            case "sentinel" -> "Sentinel-aware clients (ask for master " + d.sentinel().masterName() + ")";
            case "write" -> "clients without Sentinel support";
            case "read-only" -> "reads that may lag";
            case "client" -> d.isCluster() ? "cluster-aware clients (first contact)" : "clients";
            case "node" -> "one cluster node";
            case "headless" -> "stable pod names (replication, " + (d.isCluster() ? "cluster bus, redirects)" : "Sentinel, discovery)");
            case "sentinel-headless" -> "stable Sentinel pod names";
            case "metrics" -> "Prometheus";
            default -> role;
        };
        StringBuilder reaches = new StringBuilder(behind(s, own));
        switch (role) {
            case "write" -> reaches.append(" -> forwards to the master's redis :").append(dev.redisgen.plan.Planner.REDIS_PORT).append(" only");
            case "read-only" -> reaches.append(" -> forwards to the replicas' redis :").append(dev.redisgen.plan.Planner.REDIS_PORT);
            case "client" -> {
                if (d.isCluster()) {
                    reaches.append("; then MOVED/ASK redirects to each node's stable name");
                }
            }
            case "headless" -> reaches.append("; ").append(Names.fqdn(d.names().podName(0), s.getMetadata().getName(), ns, d.clusterDomain())).append(" ...");
            case "sentinel-headless" -> reaches.append("; ").append(Names.fqdn(d.names().sentinelPodName(0), s.getMetadata().getName(), ns, d.clusterDomain()))
                    .append(" ...");
            default -> {
            }
        }
        return new Route(role, audience, s.getMetadata().getName(), Manifests.serviceType(s),
                Manifests.serviceDns(s.getMetadata().getName(), ns, domain), ports, reaches.toString());
    }

    /** The pods a Service selects and the container ports its target ports name. */
    private static String behind(Service s, List<HasMetadata> own) {
        Map<String, String> selector = s.getSpec().getSelector();
        String podName = selector.get("statefulset.kubernetes.io/pod-name");
        for (HasMetadata w : own) {
            if (!Manifests.isWorkload(w) || w instanceof CronJob || w instanceof io.fabric8.kubernetes.api.model.batch.v1.Job) {
                continue;
            }
            Map<String, String> labels = Manifests.template(w).getMetadata().getLabels();
            boolean selected = podName != null ? podName.startsWith(w.getMetadata().getName() + "-")
                    : labels != null && labels.entrySet().containsAll(selector.entrySet());
            if (!selected) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            for (ServicePort p : s.getSpec().getPorts()) {
                targets.add(target(w, p.getTargetPort()));
            }
            String pods = podName != null ? "pod " + podName
                    : w.getKind() + " " + w.getMetadata().getName() + " x" + Manifests.replicas(w);
            return String.join(", ", targets) + " in " + pods;
        }
        return "no pods";
    }

    private static String target(HasMetadata w, IntOrString targetPort) {
        for (io.fabric8.kubernetes.api.model.Container c : Manifests.containers(Manifests.pod(w))) {
            for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
                boolean match = targetPort.getStrVal() != null ? targetPort.getStrVal().equals(p.getName())
                        : targetPort.getIntVal().equals(p.getContainerPort());
                if (match) {
                    return c.getName() + (c.getName().equals(p.getName()) || p.getName() == null ? "" : " " + p.getName()) + " :"
                            + p.getContainerPort();
                }
            }
        }
        return ":" + (targetPort.getStrVal() != null ? targetPort.getStrVal() : targetPort.getIntVal());
    }

    private static Workload workload(RedisPlan d, HasMetadata o, String ns) {
        var spec = Manifests.pod(o);
        String name = o.getMetadata().getName();
        int replicas = Manifests.replicas(o);
        List<String> pods = new ArrayList<>();
        if (o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet) {
            for (int i = 0; i < replicas; i++) {
                pods.add(name + "-" + i);
            }
        }
        List<Claim> claims = new ArrayList<>();
        for (PersistentVolumeClaim c : Manifests.claimTemplates(o)) {
            claims.add(new Claim(c.getMetadata().getName(), Manifests.claimSize(c).toString(), c.getSpec().getStorageClassName(), true));
        }
        for (var v : spec.getVolumes() == null ? List.<io.fabric8.kubernetes.api.model.Volume>of() : spec.getVolumes()) {
            if (v.getPersistentVolumeClaim() != null) {
                claims.add(new Claim(v.getPersistentVolumeClaim().getClaimName(), null, null, false));
            }
        }
        String schedule = o instanceof CronJob c ? c.getSpec().getSchedule() + (c.getSpec().getTimeZone() == null ? "" : " (" + c.getSpec().getTimeZone() + ")")
                : null;
        return new Workload(o.getKind(), name, replicas, pods, containers(Manifests.initContainers(spec)), containers(Manifests.containers(spec)),
                claims, schedule, note(d, o, ns));
    }

    private static List<Container> containers(List<io.fabric8.kubernetes.api.model.Container> cs) {
        return cs.stream().map(c -> new Container(c.getName(), c.getImage(), c.getPorts() == null ? List.of()
                : c.getPorts().stream().map(p -> new Port(p.getName(), p.getContainerPort())).toList())).toList();
    }

    /** What the pods of a workload do, where the rendered object alone does not say it. */
    private static String note(RedisPlan d, HasMetadata o, String ns) {
        String name = o.getMetadata().getName();
        Names n = d.names();
        if (name.equals(n.statefulSet()) && d.isSentinel()) {
            return n.podName(0) + " is the master at the very first start; afterwards the pods ask the Sentinels, and the master is "
                    + "whichever pod the Sentinels last promoted";
        }
        if (name.equals(n.statefulSet()) && d.isCluster()) {
            return "Job " + n.clusterCreateJob() + "-<hash> creates the cluster once every node answers: " + d.cluster().shards()
                    + " masters with " + d.cluster().replicasPerShard() + " replica(s) each; each pod then heals its own"
                    + " membership (new addresses, an empty volume)";
        }
        if (d.sentinel() != null && d.sentinel().separate() && name.equals(n.sentinelStatefulSet())) {
            return "each Sentinel monitors " + Names.fqdn(n.podName(0), n.headless(), ns, d.clusterDomain()) + " at the first start;"
                    + " quorum " + d.sentinel().quorum() + " of " + d.sentinel().sentinels();
        }
        if (d.proxy() != null && name.equals(n.proxy())) {
            return "HAProxy: forwards to the pod that reports role:master and that a Sentinel majority names master";
        }
        if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job && name.startsWith(n.clusterCreateJob() + "-")) {
            return "runs once per change of its spec (the name carries its hash); converges the nodes to a formed cluster and"
                    + " changes nothing on one";
        }
        if (o instanceof CronJob) {
            return "copies the newest RDB snapshot of every master to the backup volume";
        }
        return null;
    }

    private static String other(RedisPlan d, HasMetadata o) {
        String what = o.getKind() + " " + o.getMetadata().getName();
        if (o instanceof PodDisruptionBudget p) {
            var s = p.getSpec();
            return what + ": " + (s.getMinAvailable() != null ? "minAvailable " + intOrString(s.getMinAvailable())
                    : "maxUnavailable " + intOrString(s.getMaxUnavailable()));
        }
        if (o instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np) {
            var spec = np.getSpec();
            if (spec.getIngress().isEmpty() && spec.getEgress().isEmpty()) {
                return what + ": denies all traffic of " + d.name() + "'s pods; the policies beside it allow exactly what they need";
            }
            String component = spec.getPodSelector().getMatchLabels().getOrDefault("app.kubernetes.io/component", "?");
            return what + ": " + component + " pods accept " + ports(spec.getIngress().stream().flatMap(r -> r.getPorts().stream()).toList())
                    + "; reach " + ports(spec.getEgress().stream().flatMap(r -> r.getPorts().stream()).toList());
        }
        return what;
    }

    /** "TCP 6379, 16379 and UDP 53", in the order the rules give them; "nothing" without ports. */
    private static String ports(List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort> ports) {
        Map<String, List<String>> byProtocol = new java.util.LinkedHashMap<>();
        for (var p : ports) {
            List<String> numbers = byProtocol.computeIfAbsent(p.getProtocol(), k -> new ArrayList<>());
            if (!numbers.contains(intOrString(p.getPort()))) {
                numbers.add(intOrString(p.getPort()));
            }
        }
        if (byProtocol.isEmpty()) {
            return "nothing";
        }
        List<String> parts = new ArrayList<>();
        byProtocol.forEach((protocol, numbers) -> parts.add(protocol + " " + String.join(", ", numbers)));
        return String.join(" and ", parts);
    }

    private static String intOrString(IntOrString v) {
        return v == null ? "-" : v.getIntVal() != null ? v.getIntVal().toString() : v.getStrVal();
    }
}
