package dev.redisgen.drill;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the drill runs, read from the rendered objects only (never from the plan): the Sentinel
 * deployments (a Redis StatefulSet plus the StatefulSet its Sentinels run in, the same one when
 * co-located), their containers, env, commands, preStop hooks and volumes, and the ConfigMaps those
 * volumes mount.
 */
record Topology(String namespace, List<Group> groups, List<String> notCovered, List<ClusterGroup> clusters) {

    Topology(String namespace, List<Group> groups, List<String> notCovered) {
        this(namespace, groups, notCovered, List.of());
    }

    /**
     * A volume of the pod spec: a ConfigMap (files, byte for byte), an emptyDir, a claim (kept), or a Secret (the TLS Secret:
     * the lab's throw-away certificates, files empty here).
     */
    record VolumeSource(String name, Kind kind, Map<String, String> files, int mode) {
        enum Kind { CONFIG_MAP, EMPTY_DIR, CLAIM, SECRET }
    }

    record Mount(String volume, String path, boolean readOnly) {
    }

    /** One container: its command, env, mounts, and the exec commands of its preStop hook and readiness probe (empty: none). */
    record ContainerSpec(String name, List<String> command, List<EnvVar> env, List<Mount> mounts, List<String> preStop,
                         List<String> readiness) {
        Optional<String> literal(String var) {
            return env.stream().filter(e -> e.getName().equals(var) && e.getValue() != null).map(EnvVar::getValue).findFirst();
        }

        Optional<EnvVar> var(String var) {
            return env.stream().filter(e -> e.getName().equals(var)).findFirst();
        }

        boolean runs(String script) {
            return command.size() == 2 && command.get(0).equals("sh") && command.get(1).equals("/scripts/" + script);
        }
    }

    /** A StatefulSet's pod template: init containers, the containers the drill can run, volumes. */
    record PodTemplate(String statefulSet, String serviceName, int replicas, List<ContainerSpec> init,
                       List<ContainerSpec> containers, List<String> skippedContainers, List<VolumeSource> volumes,
                       int terminationGraceSeconds, long uid, long gid) {
        String podName(int ordinal) {
            return statefulSet + "-" + ordinal;
        }

        Optional<ContainerSpec> container(String script) {
            return containers.stream().filter(c -> c.runs(script)).findFirst();
        }

        /** The cluster domain the rendered pods name each other in (their CLUSTER_DOMAIN, from the profile). */
        String clusterDomain() {
            return containers.stream().map(c -> c.literal("CLUSTER_DOMAIN")).flatMap(Optional::stream).findFirst().orElse("cluster.local");
        }
    }

    /**
     * One Sentinel deployment: the Redis pods and the Sentinel pods (same template when co-located), and
     * the HAProxy write endpoint in front of them (null when the profile has none), writes on proxyPort.
     */
    record Group(String name, PodTemplate redis, PodTemplate sentinels, String masterName, int redisPort, int sentinelPort,
                 int downAfterMillis, int failoverTimeoutMillis, PodTemplate proxy, int proxyPort) {
        boolean colocated() {
            return redis == sentinels;
        }
    }

    /**
     * One Redis Cluster deployment: its StatefulSet (pods running cluster-start.sh), the shape its pods are told
     * (SHARDS, REPLICAS_PER_SHARD), cluster-node-timeout from its redis.conf, the creation Job's pod template and
     * backoffLimit, and the pod template of the Job its first backup CronJob creates (null: no backup).
     */
    record ClusterGroup(String name, PodTemplate redis, int port, int nodeTimeoutMillis, int shards, int replicasPerShard,
                        PodTemplate create, int createBackoffLimit, PodTemplate backup) {
        int total() {
            return shards * (1 + replicasPerShard);
        }
    }

    private static final Pattern NODE_TIMEOUT = Pattern.compile("(?m)^cluster-node-timeout (\\d+)$");

    private static final Pattern DOWN_AFTER = Pattern.compile("(?m)^sentinel down-after-milliseconds \\S+ (\\d+)$");
    private static final Pattern FAILOVER_TIMEOUT = Pattern.compile("(?m)^sentinel failover-timeout \\S+ (\\d+)$");

    static Topology of(List<HasMetadata> objects) {
        Map<String, ConfigMap> configMaps = new TreeMap<>();
        Map<String, StatefulSet> sets = new LinkedHashMap<>();
        List<Deployment> deployments = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.batch.v1.CronJob> cronJobs = new ArrayList<>();
        List<String> notCovered = new ArrayList<>();
        String namespace = null;
        for (HasMetadata o : objects) {
            if (o instanceof ConfigMap cm) {
                configMaps.put(cm.getMetadata().getName(), cm);
            } else if (o instanceof StatefulSet s) {
                sets.put(s.getMetadata().getName(), s);
                namespace = s.getMetadata().getNamespace();
            } else if (o instanceof Deployment d) {
                deployments.add(d);
            } else if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j) {
                jobs.add(j);
            } else if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.CronJob c) {
                cronJobs.add(c);
            }
        }
        List<Group> groups = new ArrayList<>();
        List<ClusterGroup> clusters = new ArrayList<>();
        for (StatefulSet s : sets.values()) {
            PodTemplate t = template(s, configMaps);
            Optional<ContainerSpec> redis = t.container("redis-start.sh");
            if (t.container("cluster-start.sh").isPresent()) {
                clusters.add(cluster(s.getMetadata().getName(), t, jobs, cronJobs, configMaps));
                continue;
            }
            if (redis.isEmpty()) {
                if (t.container("sentinel-start.sh").isEmpty()) {
                    notCovered.add("StatefulSet " + s.getMetadata().getName()
                                   + " (no Sentinel: Redis Cluster fails over by itself; the drill covers Sentinel deployments only)");
                }
                continue;
            }
            ContainerSpec c = redis.get();
            int sentinels = Integer.parseInt(c.literal("SENTINELS").orElse("0"));
            if (sentinels == 0) {
                notCovered.add("StatefulSet " + s.getMetadata().getName() + " (no Sentinels)");
                continue;
            }
            String sentinelSet = c.literal("SENTINEL_STATEFULSET").orElse(s.getMetadata().getName());
            PodTemplate st = sentinelSet.equals(s.getMetadata().getName()) ? t : template(sets.get(sentinelSet), configMaps);
            String sentinelConf = st.volumes().stream().filter(v -> v.files().containsKey("sentinel.conf"))
                    .map(v -> v.files().get("sentinel.conf")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no sentinel.conf mounted in " + sentinelSet));
            // The HAProxy in front of this deployment: its haproxy.cfg names this StatefulSet's pods.
            String firstPod = t.podName(0) + "." + t.serviceName() + ".";
            Deployment proxy = deployments.stream()
                    .filter(d -> proxyConfig(d, configMaps).map(cfg -> cfg.contains(firstPod)).orElse(false))
                    .findFirst().orElse(null);
            PodTemplate proxyTemplate = null;
            int proxyPort = 0;
            if (proxy != null) {
                deployments.remove(proxy);
                PodSpec ps = proxy.getSpec().getTemplate().getSpec();
                proxyTemplate = template(proxy.getMetadata().getName(), null, proxy.getSpec().getReplicas(), ps, List.of(), configMaps);
                proxyPort = ps.getContainers().stream().flatMap(k -> Optional.ofNullable(k.getPorts()).orElse(List.of()).stream())
                        .filter(pt -> "write".equals(pt.getName())).map(ContainerPort::getContainerPort).findFirst().orElse(6379);
            }
            groups.add(new Group(s.getMetadata().getName(), t, st, c.literal("MASTER_NAME").orElse("mymaster"),
                    Integer.parseInt(c.literal("REDIS_PORT").orElse("6379")),
                    Integer.parseInt(c.literal("SENTINEL_PORT").orElse("26379")),
                    Integer.parseInt(match(DOWN_AFTER, sentinelConf, "30000")),
                    Integer.parseInt(match(FAILOVER_TIMEOUT, sentinelConf, "180000")), proxyTemplate, proxyPort));
        }
        for (Deployment d : deployments) {
            notCovered.add("Deployment " + d.getMetadata().getName()
                           + " (not a Sentinel deployment or its proxy: the drill covers Sentinel deployments and their HAProxy)");
        }
        return new Topology(namespace == null ? "default" : namespace, List.copyOf(groups), List.copyOf(notCovered), List.copyOf(clusters));
    }

    private static ClusterGroup cluster(String name, PodTemplate t, List<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs,
                                        List<io.fabric8.kubernetes.api.model.batch.v1.CronJob> cronJobs,
                                        Map<String, ConfigMap> configMaps) {
        ContainerSpec c = t.container("cluster-start.sh").orElseThrow();
        String conf = t.volumes().stream().filter(v -> v.files().containsKey("redis.conf")).map(v -> v.files().get("redis.conf"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no redis.conf mounted in " + name));
        io.fabric8.kubernetes.api.model.batch.v1.Job create = jobs.stream()
                .filter(j -> runs(j.getSpec().getTemplate().getSpec(), "cluster-create.sh", name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no creation Job (cluster-create.sh) for " + name));
        PodTemplate backup = cronJobs.stream()
                .filter(j -> runs(j.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(), "backup.sh", name))
                .findFirst().map(j -> template(j.getMetadata().getName(), null, 1, j.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(),
                        List.of(), configMaps)).orElse(null);
        return new ClusterGroup(name, t, Integer.parseInt(c.literal("REDIS_PORT").orElse("6379")),
                Integer.parseInt(match(NODE_TIMEOUT, conf, "15000")), Integer.parseInt(c.literal("SHARDS").orElse("3")),
                Integer.parseInt(c.literal("REPLICAS_PER_SHARD").orElse("1")), job(create, configMaps),
                Optional.ofNullable(create.getSpec().getBackoffLimit()).orElse(6), backup);
    }

    /** The pod template of a Job (its pod runs once: the drill runs its container to the end). */
    static PodTemplate job(io.fabric8.kubernetes.api.model.batch.v1.Job j, Map<String, ConfigMap> configMaps) {
        return template(j.getMetadata().getName(), null, 1, j.getSpec().getTemplate().getSpec(), List.of(), configMaps);
    }

    /** The ConfigMaps of rendered objects by name (for {@link #job}). */
    static Map<String, ConfigMap> configMaps(List<HasMetadata> objects) {
        Map<String, ConfigMap> out = new TreeMap<>();
        objects.stream().filter(o -> o instanceof ConfigMap).forEach(o -> out.put(o.getMetadata().getName(), (ConfigMap) o));
        return out;
    }

    /** Whether a pod spec's first container runs /scripts/SCRIPT for StatefulSet SET. */
    private static boolean runs(PodSpec spec, String script, String set) {
        Container c = spec.getContainers().get(0);
        return List.of("sh", "/scripts/" + script).equals(c.getCommand()) && Optional.ofNullable(c.getEnv()).orElse(List.of()).stream()
                .anyMatch(e -> e.getName().equals("STATEFULSET") && set.equals(e.getValue()));
    }

    private static String match(Pattern p, String text, String fallback) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : fallback;
    }

    /** HAProxy itself, or (with TLS) the shell that builds its PEM and then starts it (HaproxyConf.TLS_START). */
    private static boolean runsHaproxy(List<String> command) {
        return !command.isEmpty() && (command.get(0).equals("haproxy")
                || command.size() == 3 && command.get(0).equals("sh") && command.get(1).equals("-c") && command.get(2).contains("haproxy -W -db "));
    }

    /** The haproxy.cfg a Deployment mounts, if it runs HAProxy. */
    private static Optional<String> proxyConfig(Deployment d, Map<String, ConfigMap> configMaps) {
        PodSpec spec = d.getSpec().getTemplate().getSpec();
        if (spec.getContainers().stream().noneMatch(c -> c.getCommand() != null && runsHaproxy(c.getCommand()))) {
            return Optional.empty();
        }
        return Optional.ofNullable(spec.getVolumes()).orElse(List.of()).stream()
                .filter(v -> v.getConfigMap() != null && configMaps.containsKey(v.getConfigMap().getName()))
                .map(v -> configMaps.get(v.getConfigMap().getName()).getData())
                .filter(data -> data != null && data.containsKey("haproxy.cfg"))
                .map(data -> data.get("haproxy.cfg")).findFirst();
    }

    private static PodTemplate template(StatefulSet s, Map<String, ConfigMap> configMaps) {
        return template(s.getMetadata().getName(), s.getSpec().getServiceName(), s.getSpec().getReplicas(),
                s.getSpec().getTemplate().getSpec(), Optional.ofNullable(s.getSpec().getVolumeClaimTemplates()).orElse(List.of()),
                configMaps);
    }

    /** A pod template; serviceName null for a Deployment's pods (no headless names). */
    private static PodTemplate template(String name, String serviceName, int replicas, PodSpec spec,
                                        List<io.fabric8.kubernetes.api.model.PersistentVolumeClaim> claimTemplates,
                                        Map<String, ConfigMap> configMaps) {
        List<VolumeSource> volumes = new ArrayList<>();
        for (Volume v : spec.getVolumes()) {
            if (v.getConfigMap() != null) {
                ConfigMap cm = configMaps.get(v.getConfigMap().getName());
                Map<String, String> files = new TreeMap<>(cm == null || cm.getData() == null ? Map.of() : cm.getData());
                Integer mode = v.getConfigMap().getDefaultMode();
                volumes.add(new VolumeSource(v.getName(), VolumeSource.Kind.CONFIG_MAP, files, mode == null ? 0644 : mode));
            } else if (v.getEmptyDir() != null) {
                volumes.add(new VolumeSource(v.getName(), VolumeSource.Kind.EMPTY_DIR, Map.of(), 0));
            } else if (v.getPersistentVolumeClaim() != null) {
                volumes.add(new VolumeSource(v.getName(), VolumeSource.Kind.CLAIM, Map.of(), 0));
            } else if (v.getSecret() != null) {
                Integer mode = v.getSecret().getDefaultMode();
                volumes.add(new VolumeSource(v.getName(), VolumeSource.Kind.SECRET, Map.of(), mode == null ? 0644 : mode));
            }
        }
        claimTemplates.forEach(p -> volumes.add(new VolumeSource(p.getMetadata().getName(), VolumeSource.Kind.CLAIM, Map.of(), 0)));
        List<ContainerSpec> init = new ArrayList<>();
        for (Container c : Optional.ofNullable(spec.getInitContainers()).orElse(List.of())) {
            init.add(container(c));
        }
        List<ContainerSpec> containers = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Container c : spec.getContainers()) {
            ContainerSpec cs = container(c);
            // The drill runs the Redis image's containers (the pod scripts) and HAProxy; exporter
            // sidecars are not Redis and take no part in failover.
            if (cs.command().size() >= 2 && cs.command().get(0).equals("sh") && cs.command().get(1).startsWith("/scripts/")
                || runsHaproxy(cs.command())) {
                containers.add(cs);
            } else {
                skipped.add(c.getName());
            }
        }
        long uid = 0;
        long gid = 0;
        if (spec.getSecurityContext() != null) {
            uid = Optional.ofNullable(spec.getSecurityContext().getRunAsUser()).orElse(0L);
            gid = Optional.ofNullable(spec.getSecurityContext().getRunAsGroup()).orElse(uid);
        }
        Long grace = spec.getTerminationGracePeriodSeconds();
        return new PodTemplate(name, serviceName, replicas,
                List.copyOf(init), List.copyOf(containers), List.copyOf(skipped), List.copyOf(volumes),
                grace == null ? 30 : grace.intValue(), uid, gid);
    }

    private static ContainerSpec container(Container c) {
        List<Mount> mounts = new ArrayList<>();
        for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
            if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
                throw new IllegalStateException("subPath mounts are not supported by the drill: " + c.getName());
            }
            mounts.add(new Mount(m.getName(), m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly())));
        }
        List<String> preStop = List.of();
        if (c.getLifecycle() != null && c.getLifecycle().getPreStop() != null && c.getLifecycle().getPreStop().getExec() != null) {
            preStop = List.copyOf(c.getLifecycle().getPreStop().getExec().getCommand());
        }
        List<String> readiness = List.of();
        if (c.getReadinessProbe() != null && c.getReadinessProbe().getExec() != null) {
            readiness = List.copyOf(c.getReadinessProbe().getExec().getCommand());
        }
        // As the kubelet runs them: $(VAR) of the container's literal env expanded, $$ reduced to $.
        Map<String, String> literal = new java.util.HashMap<>();
        Optional.ofNullable(c.getEnv()).orElse(List.of()).stream().filter(e -> e.getValueFrom() == null && e.getValue() != null)
                .forEach(e -> literal.put(e.getName(), e.getValue()));
        List<String> command = new ArrayList<>();
        Optional.ofNullable(c.getCommand()).orElse(List.of()).forEach(a -> command.add(kubeExpand(a, literal)));
        Optional.ofNullable(c.getArgs()).orElse(List.of()).forEach(a -> command.add(kubeExpand(a, literal)));
        return new ContainerSpec(c.getName(), List.copyOf(command), List.copyOf(Optional.ofNullable(c.getEnv()).orElse(List.of())),
                List.copyOf(mounts), preStop, readiness);
    }

    /**
     * Kubernetes' expansion of a container's command and args (k8s.io/kubernetes third_party/forked/golang/expansion): {@code
     * $(NAME)} of a defined variable becomes its value, an undefined one stays as written, {@code $$} becomes {@code $}, and
     * any other {@code $} stays.
     */
    static String kubeExpand(String in, Map<String, String> vars) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < in.length(); i++) {
            char ch = in.charAt(i);
            if (ch != '$' || i + 1 >= in.length()) {
                out.append(ch);
                continue;
            }
            char next = in.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i++;
            } else if (next == '(') {
                int close = in.indexOf(')', i + 2);
                if (close < 0) {
                    out.append("$(");
                    i++;
                    continue;
                }
                String name = in.substring(i + 2, close);
                out.append(vars.containsKey(name) ? vars.get(name) : "$(" + name + ")");
                i = close;
            } else {
                out.append('$');
            }
        }
        return out.toString();
    }
}
