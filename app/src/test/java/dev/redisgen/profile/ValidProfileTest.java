package dev.redisgen.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidProfileTest {

    static LoadedProfile full() {
        return ProfileLoader.parse("valid/full.yaml", InvalidProfileTest.fixture("valid/full.yaml"));
    }

    @Test
    void everyWrittenFieldBinds() {
        Profile p = full().profile();
        assertThat(p.name()).isEqualTo("full-example");
        assertThat(p.description()).isEqualTo("Exercises every field of the schema.");

        NamespaceSpec ns = p.namespace();
        assertThat(ns.name()).isEqualTo("redis-full");
        assertThat(ns.create()).isTrue();
        assertThat(ns.podSecurity()).isEqualTo(PodSecurityLevel.BASELINE);
        assertThat(ns.labels()).containsExactly(Map.entry("env", "1"), Map.entry("team", "platform"));
        assertThat(ns.limitRange().render()).isFalse();
        assertThat(ns.limitRange().min()).isEqualTo(new Resources.Amounts(Cpu.ofMillis(100), Memory.parse("128Mi")));
        assertThat(ns.limitRange().max()).isEqualTo(new Resources.Amounts(Cpu.ofMillis(4000), Memory.parse("16Gi")));
        assertThat(ns.limitRange().maxLimitRequestRatio()).isEqualTo(new LimitRangeSpec.Ratio(new BigDecimal("4"), new BigDecimal("2.5")));
        ResourceQuotaSpec q = ns.resourceQuota();
        assertThat(q.render()).isTrue();
        assertThat(q.requestsCpu()).isEqualTo(Cpu.ofMillis(24_000));
        assertThat(q.requestsMemory()).isEqualTo(Memory.parse("96Gi"));
        assertThat(q.limitsCpu()).isEqualTo(Cpu.ofMillis(48_000));
        assertThat(q.limitsMemory()).isEqualTo(Memory.parse("128Gi"));
        assertThat(q.requestsStorage()).isEqualTo(Memory.parse("1Ti"));
        assertThat(List.of(q.persistentVolumeClaims(), q.pods(), q.services())).containsExactly(20, 30, 20);

        assertThat(p.deployments()).hasSize(3);
        assertThat(p.clusterDomain()).isEqualTo("corp.internal");
        assertThat(p.storageClass()).isEqualTo("fast-ssd");
        assertThat(p.acknowledge()).containsExactly(new Acknowledgement("auth", "every client is inside the NetworkPolicy"));
        DeploymentSpec d = p.deployments().get(0);
        assertThat(d.name()).isEqualTo("redis");
        assertThat(d.topology()).isEqualTo(Topology.SENTINEL);
        assertThat(d.purpose()).isEqualTo(Purpose.BROKER);
        assertThat(d.image()).isEqualTo("redis:7.2.4-alpine");
        assertThat(d.replicas()).isEqualTo(3);

        SentinelSpec s = d.sentinel();
        assertThat(s).isEqualTo(new SentinelSpec(SentinelPlacement.SEPARATE, "mymaster", 2, 3, 5000, 10000, 2, AddressMode.IP,
                "redis-0.redis-headless.redis-full.svc.cluster.local", new VolumeSpec(Memory.parse("1Gi"), "local-path")));

        assertThat(d.redis()).isEqualTo(new RedisSpec(RedisBytes.parse("256mb"), EvictionPolicy.NOEVICTION, 4, true, 20000, 5000, 60));
        assertThat(d.persistence()).isEqualTo(new PersistenceSpec(List.of("900 1", "300 10", "60 10000"), Aof.EVERYSEC,
                Memory.parse("10Gi"), "local-path"));

        ContainerResources r = d.resources();
        assertThat(r.redis()).isEqualTo(resources("2", "8Gi", "4", "16Gi"));
        assertThat(r.sentinel()).isEqualTo(resources("50m", "64Mi", "100m", "128Mi"));
        assertThat(r.exporter()).isEqualTo(resources("50m", "64Mi", "100m", "128Mi"));
        assertThat(r.sentinelExporter()).isEqualTo(resources("50m", "64Mi", "100m", "128Mi"));
        assertThat(r.init()).isEqualTo(resources("50m", "32Mi", "100m", "64Mi"));
        assertThat(r.proxy()).isEqualTo(resources("100m", "64Mi", "200m", "128Mi"));
        assertThat(r.job()).isEqualTo(resources("100m", "64Mi", "500m", "256Mi"));

        assertThat(d.probes()).isEqualTo(new ProbesSpec(new ProbesSpec.Probe(30, 10, 5, 3), new ProbesSpec.Probe(5, 5, 3, 2)));
        assertThat(d.placement()).isEqualTo(new PlacementSpec(AntiAffinity.HARD, 50,
                List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone"), null, null, Map.of(), List.of(), null,
                TopologySpread.SOFT, List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"), 1));
        assertThat(d.exporter()).isEqualTo(new ExporterSpec("oliver006/redis_exporter:v1.55.0-alpine", 9121, 9355));
        assertThat(d.monitoring()).isEqualTo(new MonitoringSpec(true, true, true, "15s", Map.of("release", "prometheus")));
        assertThat(d.auth()).isEqualTo(new AuthSpec("redis-auth", "redis-password", "sentinel-password", null));
        assertThat(d.security()).isEqualTo(new SecuritySpec(1000, 1001, 1002));
        assertThat(d.networkPolicy()).isEqualTo(new NetworkPolicySpec(true, List.of("app", "workers"), List.of(), List.of("monitoring"), List.of()));
        assertThat(d.disruptionBudget().minAvailable()).isEqualTo(2);
        assertThat(d.backup().schedules()).containsExactly(
                new BackupSpec.Schedule("hourly", "0 * * * *", "Etc/UTC", 3),
                new BackupSpec.Schedule("daily", "0 2 * * *", "Europe/Berlin", 7));
        assertThat(d.backup().storage()).isEqualTo(new VolumeSpec(Memory.parse("100Gi"), null));
        assertThat(d.writeEndpoint()).isEqualTo(new WriteEndpointSpec(true, "haproxy:2.8.5-alpine", 3));
        assertThat(d.services()).isEqualTo(new ServicesSpec("redis-write", "redis-read", "redis-sentinel", "redis-headless",
                ServiceType.CLUSTER_IP, Map.of(), Map.of()));
        assertThat(d.clients()).containsExactly(Client.REDIS_CLI, Client.DJANGO, Client.CELERY);

        assertThat(p.deployments().get(1).cluster()).isEqualTo(new ClusterSpec(3, 2, 5000, false));

        DeploymentSpec x = p.deployments().get(2);
        assertThat(x.imagePullPolicy()).isEqualTo(ImagePullPolicy.ALWAYS);
        assertThat(x.imagePullSecrets()).containsExactly("regcred", "mirror.example.com");
        assertThat(x.placement()).isEqualTo(new PlacementSpec(AntiAffinity.SOFT, 100, List.of("kubernetes.io/hostname"), 4, null,
                Map.of("node-role.example.com/redis", "true", "kubernetes.io/arch", "amd64"),
                List.of(new Toleration("dedicated", TolerationOperator.EQUAL, "redis", TaintEffect.NO_SCHEDULE, null),
                        new Toleration("node.kubernetes.io/unreachable", TolerationOperator.EXISTS, null, TaintEffect.NO_EXECUTE, 30L),
                        new Toleration(null, TolerationOperator.EXISTS, null, null, null)),
                "redis-critical", TopologySpread.SOFT, List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"), 1));
        assertThat(x.podLabels()).containsExactly(Map.entry("example.com/cost-center", "42"), Map.entry("team", "platform"));
        assertThat(x.podAnnotations()).containsExactly(Map.entry("sidecar.istio.io/inject", "false"));
        assertThat(x.networkPolicy()).isEqualTo(new NetworkPolicySpec(true, List.of(), List.of(), List.of("monitoring"), List.of("10.0.0.0/8", "2001:db8::/32")));
        assertThat(x.services()).isEqualTo(new ServicesSpec(null, null, null, null, ServiceType.LOAD_BALANCER,
                Map.of("service.beta.kubernetes.io/aws-load-balancer-internal", "true"), Map.of("exposure", "internal")));
        assertThat(x.acknowledge()).containsExactly(new Acknowledgement("service-exposure", "internal load balancer in a private VPC"));
    }

    @Test
    void omittedFieldsTakeTheirDefaults() {
        DeploymentSpec d = full().profile().deployments().get(1);
        assertThat(d.purpose()).isEqualTo(Purpose.CACHE);
        assertThat(d.image()).isEqualTo("redis:7.2-alpine");
        // Omitted resources get the @Default flow mappings, bound like input.
        assertThat(d.resources().redis()).isEqualTo(resources("100m", "128Mi", "500m", "512Mi"));
        assertThat(d.resources().sentinel()).isEqualTo(resources("100m", "128Mi", "200m", "256Mi"));
        assertThat(d.resources().job()).isEqualTo(resources("100m", "128Mi", "500m", "256Mi"));
        assertThat(d.probes()).isEqualTo(new ProbesSpec(new ProbesSpec.Probe(30, 10, 5, 3), new ProbesSpec.Probe(10, 5, 5, 3)));
        assertThat(d.placement()).isEqualTo(new PlacementSpec(AntiAffinity.SOFT, 100, List.of("kubernetes.io/hostname"), null, null, Map.of(), List.of(), null,
                TopologySpread.SOFT, List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname"), 1));
        assertThat(d.redis()).isEqualTo(new RedisSpec(null, null, 1, false, 10000, 10000, 300));
        assertThat(d.security()).isEqualTo(new SecuritySpec(10001, 10001, 10001));
        assertThat(d.writeEndpoint()).isEqualTo(new WriteEndpointSpec(true, "haproxy:2.8-alpine", 2));
        assertThat(d.monitoring()).isEqualTo(new MonitoringSpec(false, false, false, "30s", Map.of()));
        assertThat(d.services()).isEqualTo(new ServicesSpec(null, null, null, null, ServiceType.CLUSTER_IP, Map.of(), Map.of()));
        // No pull policy: the planner takes each image's Kubernetes default. No extras on the pods.
        assertThat(d.imagePullPolicy()).isNull();
        assertThat(d.imagePullSecrets()).isEmpty();
        assertThat(d.podLabels()).isEmpty();
        assertThat(d.podAnnotations()).isEmpty();
        assertThat(d.acknowledge()).isEmpty();
        // Optional sections stay absent; optional lists are empty, never null.
        assertThat(d.replicas()).isNull();
        assertThat(d.sentinel()).isNull();
        assertThat(d.persistence()).isNull();
        assertThat(d.exporter()).isNull();
        assertThat(d.auth()).isNull();
        assertThat(d.networkPolicy()).isEqualTo(new NetworkPolicySpec(true, List.of(), List.of(), List.of("monitoring"), List.of()));
        assertThat(d.backup()).isNull();
        assertThat(d.clients()).isEmpty();
    }

    @Test
    void minimalProfileBindsAndTheSentinelDefaultsApply() {
        Profile p = ProfileLoader.parse("min.yaml", """
                name: min
                namespace: {name: min}
                deployments:
                  - name: redis
                    topology: sentinel
                    sentinel: {}
                    persistence: {aof: no, size: 1Gi}
                """).profile();
        assertThat(p.description()).isNull();
        assertThat(p.clusterDomain()).isEqualTo("cluster.local");
        assertThat(p.storageClass()).isNull();
        assertThat(p.acknowledge()).isEmpty();
        assertThat(p.namespace()).isEqualTo(new NamespaceSpec("min", true, PodSecurityLevel.RESTRICTED, Map.of(), null, null));
        assertThat(p.deployments().get(0).sentinel()).isEqualTo(new SentinelSpec(SentinelPlacement.CO_LOCATED, "mymaster", null, null,
                5000, 30000, 1, AddressMode.HOSTNAME, null, new VolumeSpec(Memory.parse("1Gi"), null)));
        // `no` is a YAML 1.1 boolean, but here it is the appendfsync policy it spells.
        assertThat(p.deployments().get(0).persistence().aof()).isEqualTo(Aof.NO);
        assertThat(p.deployments().get(0).persistence().rdb()).isEmpty();
    }

    @Test
    void collectionsAreImmutableAndLabelsSorted() {
        Profile p = full().profile();
        assertThat(p.namespace().labels().keySet()).containsExactly("env", "team");
        assertThatThrownBy(() -> p.namespace().labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.deployments().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void loadedProfileKeepsTheTextAndName() {
        LoadedProfile loaded = full();
        assertThat(loaded.displayName()).isEqualTo("valid/full.yaml");
        assertThat(loaded.text()).startsWith("# Every profile field at least once");
    }

    @Test
    void byteOrderMarkIsIgnored() {
        Profile p = ProfileLoader.parse("bom.yaml", "\uFEFFname: bom\nnamespace: {name: bom}\ndeployments: [{name: r, topology: standalone}]\n").profile();
        assertThat(p.name()).isEqualTo("bom");
    }

    /** Every @Default in the schema binds (Defaults would throw on a broken one), and every primitive has one. */
    @Test
    void everyDefaultBindsAndEveryPrimitiveIsDefaultedOrRequired() {
        Deque<Class<?>> queue = new ArrayDeque<>(List.of(Profile.class));
        int defaults = 0;
        while (!queue.isEmpty()) {
            Class<?> type = queue.removeFirst();
            for (RecordComponent rc : type.getRecordComponents()) {
                if (rc.isAnnotationPresent(Default.class)) {
                    assertThat(Defaults.value(type, rc)).as(type.getSimpleName() + "." + rc.getName()).isNotNull();
                    defaults++;
                }
                if (rc.getType().isPrimitive()) {
                    assertThat(rc.isAnnotationPresent(Default.class) || rc.isAnnotationPresent(Required.class))
                            .as(type.getSimpleName() + "." + rc.getName()).isTrue();
                }
                java.lang.reflect.Type t = rc.getGenericType();
                if (SchemaTypes.kind(t) == SchemaTypes.Kind.LIST) {
                    t = SchemaTypes.typeArgument(t, 0);
                }
                if (SchemaTypes.kind(t) == SchemaTypes.Kind.RECORD) {
                    queue.addLast(SchemaTypes.raw(t));
                }
            }
        }
        assertThat(defaults).isGreaterThan(40);
    }

    private static Resources resources(String reqCpu, String reqMem, String limCpu, String limMem) {
        return new Resources(new Resources.Amounts(Cpu.parse(reqCpu), Memory.parse(reqMem)),
                new Resources.Amounts(Cpu.parse(limCpu), Memory.parse(limMem)));
    }
}
