package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Severity;
import dev.redisgen.profile.ProfileLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rules issue 11 added or fixed, each firing where it must (with its line, column and fix) and staying quiet
 * where it must not: validation of the new fields like the API server's, selector labels, placement over zones,
 * a store without persistence, exposed Services, the Service quota beside other errors, fixes that name only the
 * fields of the deployment's topology.
 */
class LintRulesTest {
    static final String HEAD = """
            name: t
            namespace: {name: t}
            deployments:
              - name: redis
                topology: sentinel
                auth: {secretName: redis-auth}
            """;

    static List<Diagnostic> lint(String yaml) {
        return Pipeline.lint(() -> ProfileLoader.parse("p.yaml", yaml)).findings();
    }

    /** The findings of one rule, formatted as lint prints them. */
    static List<String> of(String rule, String yaml) {
        return lint(yaml).stream().filter(d -> d.ruleId().equals(rule)).map(Diagnostic::format).toList();
    }

    /** The first deployment of HEAD with more fields (each line indented as a field of the deployment). */
    static String redisWith(String fields) {
        return HEAD + "    " + fields.strip().replace("\n", "\n    ") + "\n";
    }

    // ---- kubernetes-values ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            label key with two slashes           | 'podLabels: {a/b/c: x}'                                         | 7:17 | label key 'a/b/c' is invalid       | write `name` or `prefix/name`
            label key with an upper-case prefix  | 'podLabels: {Example.com/team: x}'                              | 7:17 | prefix part a lowercase RFC 1123 subdomain must consist | write `name` or `prefix/name`
            label value with a space             | 'podLabels: {team: "two words"}'                                | 7:23 | label value 'two words' of 'team' is invalid | longer text belongs in an annotation
            label value of 64 characters         | 'podLabels: {team: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}' | 7:23 | must be no more than 63 characters | write a short value
            annotation key with a space          | 'podAnnotations: {"my note": x}'                                | 7:22 | annotation key 'my note' is invalid | e.g. `example.com/owner`
            service label key starting with -    | 'services: {labels: {-team: x}}'                                | 7:25 | label key '-team' is invalid       | write `name` or `prefix/name`
            service annotation key too long      | 'services: {annotations: {example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x}}' | 7:30 | name part must be no more than 63 characters | e.g. `example.com/owner`
            node selector key with a colon       | 'placement: {nodeSelector: {"disk:type": ssd}}'                 | 7:32 | label key 'disk:type' is invalid   | write `name` or `prefix/name`
            toleration without key and Equal     | 'placement: {tolerations: [{value: x}]}'                        | 7:31 | a toleration without a key must have `operator: Exists` | write `operator: Exists`
            toleration Exists with a value       | 'placement: {tolerations: [{key: k, operator: Exists, value: v}]}' | 7:65 | `value` must be absent with `operator: Exists` | remove `value`
            tolerationSeconds without NoExecute  | 'placement: {tolerations: [{key: k, effect: NoSchedule, tolerationSeconds: 30}]}' | 7:79 | applies only with `effect: NoExecute` | add `effect: NoExecute`
            toleration key with a space          | 'placement: {tolerations: [{key: "a b", operator: Exists}]}'    | 7:37 | toleration key 'a b' is invalid     | write the taint's key
            priority class with upper case       | 'placement: {priorityClassName: Critical}'                      | 7:36 | priorityClassName 'Critical' is not a DNS subdomain | an existing PriorityClass
            pull secret with an underscore       | 'imagePullSecrets: [reg_cred]'                                  | 7:24 | 'reg_cred' is not a Secret name    | the registry Secret
            storage class with upper case        | 'persistence: {size: 1Gi, storageClass: SSD}'                   | 7:44 | storageClass 'SSD' is not a DNS subdomain | kubectl get storageclass
            CIDR without a prefix length         | 'networkPolicy: {allowCidrs: [10.0.0.0]}'                       | 7:34 | '10.0.0.0' is not a CIDR           | e.g. `10.0.0.0/8`
            CIDR with an octet above 255         | 'networkPolicy: {allowCidrs: [10.0.0.256/8]}'                   | 7:34 | '10.0.0.256/8' is not a CIDR       | e.g. `10.0.0.0/8`
            IPv6 CIDR with two ::                | 'networkPolicy: {allowCidrs: ["2001::db8::/32"]}'               | 7:34 | is not a CIDR                      | e.g. `10.0.0.0/8`
            an empty image                       | 'image: ""'                                                     | 7:12 | image '' is not an image reference a node can pull: Required value | e.g. `redis:7.2-alpine`
            an exporter image with spaces        | 'exporter: {image: "not an image!!"}'                            | 7:23 | invalid reference format           | e.g. `redis:7.2-alpine`
            an image with an upper-case path     | 'image: Redis:7'                                                | 7:12 | repository name must be lowercase  | e.g. `redis:7.2-alpine`
            a client namespace with spaces       | 'networkPolicy: {allowNamespaces: ["Not A NS"]}'                | 7:39 | 'Not A NS' is not a namespace name | `kubectl get namespaces`
            a metrics namespace of 64 characters | 'networkPolicy: {metricsNamespaces: [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]}' | 7:41 | must be no more than 63 characters | `kubectl get namespaces`
            a client pod label value with space  | 'networkPolicy: {allowPods: [{labels: {app: "a b"}}]}'           | 7:48 | label value 'a b' of 'app' is invalid | write a short value
            a client pod namespace in upper case | 'networkPolicy: {allowPods: [{namespace: NS, labels: {a: b}}]}'  | 7:45 | 'NS' is not a namespace name       | `kubectl get namespaces`
            a ServiceMonitor label key with space| 'monitoring: {labels: {"release ": x}}'                          | 7:27 | label key 'release ' is invalid    | write `name` or `prefix/name`
            runAsUser past int32                 | 'security: {runAsUser: 2147483648}'                             | 7:27 | runAsUser must be between 0 and 2147483647 | use 10001
            a topology key with a space          | 'placement: {topologyKeys: ["bad key"]}'                        | 7:32 | 'bad key' is not a node label key  | kubernetes.io/hostname
            a spread key listed twice            | 'placement: {spreadKeys: [kubernetes.io/hostname, kubernetes.io/hostname]}' | 7:54 | is listed twice | list each key once
            a pull Secret listed twice           | 'imagePullSecrets: [regcred, regcred]'                          | 7:33 | pull Secret 'regcred' is listed twice | list each Secret once
            """)
    void valuesTheApiServerWouldRejectAreRefusedWhereTheyAreWritten(String name, String field, String at, String message, String fix) {
        List<Diagnostic> found = lint(redisWith(field)).stream().filter(d -> d.ruleId().equals("kubernetes-values")).toList();
        assertThat(found).as(name).hasSize(1);
        Diagnostic d = found.get(0);
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.location().line() + ":" + d.location().column()).as(name).isEqualTo(at);
        assertThat(d.message()).as(name).contains(message);
        assertThat(d.fix()).as(name).contains(fix);
    }

    @Test
    void valuesTheApiServerAcceptsPass() {
        assertThat(of("kubernetes-values", redisWith("""
                podLabels: {team: platform, example.com/cost-center: "42", empty: ""}
                podAnnotations: {Example.com/Owner: "any text, even long: the API server lower-cases annotation keys"}
                placement:
                  nodeSelector: {kubernetes.io/arch: amd64}
                  tolerations: [{operator: Exists}, {key: k, effect: NoExecute, tolerationSeconds: 10, value: v}]
                  priorityClassName: system-cluster-critical
                imagePullSecrets: [regcred, mirror.example.com]
                persistence: {size: 1Gi, storageClass: ""}
                networkPolicy: {allowCidrs: [0.0.0.0/0, 10.1.2.3/32, "::/0", "2001:db8::/32", "::ffff:10.0.0.0/104", "fe80:0:0:0:0:0:0:1/128"]}
                """))).isEmpty();
    }

    @Test
    void cronSchedulesAndTimeZonesAreCheckedAsTheApiServerDoes() {
        String backup = "backup: {storage: {size: 1Gi}, schedules: [{name: daily, schedule: \"%s\", timeZone: %s, keep: 3}]}";
        assertThat(of("kubernetes-values", redisWith(backup.formatted("0 2 * * *", "Etc/UTC")))).isEmpty();
        assertThat(of("kubernetes-values", redisWith(backup.formatted("@every 6h", "Europe/Berlin")))).isEmpty();
        assertThat(of("kubernetes-values", redisWith(backup.formatted("0 24 * * *", "Etc/UTC")))).singleElement().asString()
                .contains("schedule '0 24 * * *' is not a cron schedule the API server accepts: hour '24': end of range (24) above maximum (23)");
        assertThat(of("kubernetes-values", redisWith(backup.formatted("TZ=UTC 0 2 * * *", "Etc/UTC")))).singleElement().asString()
                .contains("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        assertThat(of("kubernetes-values", redisWith(backup.formatted("0 2 * * L", "Etc/UTC")))).hasSize(1);
        assertThat(of("kubernetes-values", redisWith(backup.formatted("0 2 * * *", "Local")))).singleElement().asString()
                .contains("timeZone 'Local' is refused: timeZone must be an explicit time zone");
        assertThat(of("kubernetes-values", redisWith(backup.formatted("0 2 * * *", "Mars/Olympus")))).singleElement().asString()
                .contains("unknown time zone Mars/Olympus");
    }

    @Test
    void aCronJobNameOver52CharactersIsRefusedAtTheScheduleName() {
        String name = "a".repeat(40);
        assertThat(of("value-range", redisWith("backup: {storage: {size: 1Gi}, schedules: [{name: " + name + ", schedule: \"@daily\", keep: 3}]}")))
                .singleElement().asString().startsWith("p.yaml:7:55: error[value-range]: the CronJob name 'redis-backup-" + name
                        + "' is longer than 52 characters").contains("shorten the schedule name to 39 characters or fewer");
    }

    @Test
    void secretKeysMustBeKeysASecretKeyRefAccepts() {
        String yaml = HEAD.replace("auth: {secretName: redis-auth}", "auth: {secretName: redis-auth, passwordKey: \"pass word\", sentinelPasswordKey: ..x}");
        assertThat(of("kubernetes-values", yaml)).hasSize(2).allMatch(f -> f.contains("is not a Secret key"));
    }

    @Test
    void limitRangeBoundsAreCheckedAsTheApiServerDoes() {
        String ns = "name: t\nnamespace: {name: t, limitRange: {%s}}\ndeployments: [{name: r, topology: standalone, auth: {secretName: a}}]\n";
        assertThat(of("kubernetes-values", ns.formatted("min: {cpu: 2}, max: {cpu: 1}"))).singleElement().asString()
                .contains("min cpu 2 is greater than max cpu 1");
        assertThat(of("kubernetes-values", ns.formatted("maxLimitRequestRatio: {memory: 0.5}"))).singleElement().asString()
                .contains("maxLimitRequestRatio memory 0.5 is less than 1");
        assertThat(of("kubernetes-values", ns.formatted("min: {memory: 1Gi}, max: {memory: 2Gi}, maxLimitRequestRatio: {memory: 3}")))
                .singleElement().asString().contains("maxLimitRequestRatio memory 3 is greater than max/min = 2");
        // CPU counts in whole cores rounded up, as Quantity.Value(): 4 / ceil(50m) = 4.
        assertThat(of("kubernetes-values", ns.formatted("min: {cpu: 50m}, max: {cpu: 4}, maxLimitRequestRatio: {cpu: 4}"))).isEmpty();
    }

    @Test
    void spreadNeedsAKeyAndAPositiveSkewAndWarnsWhenHardOverUnknownZones() {
        assertThat(of("value-range", redisWith("placement: {maxSkew: 0}"))).singleElement().asString()
                .contains("maxSkew 0 must be greater than zero");
        assertThat(of("value-range", redisWith("placement: {spreadKeys: []}"))).singleElement().asString()
                .contains("topology spread without a topology key spreads over nothing");
        assertThat(of("value-range", redisWith("placement: {spread: none, spreadKeys: [], maxSkew: 0}"))).isEmpty();
        assertThat(of("placement", redisWith("placement: {spread: hard}"))).singleElement().asString()
                .startsWith("p.yaml:7:25: warning[placement]: `spread: hard` over topology.kubernetes.io/zone of 'redis' schedules pods only on"
                        + " nodes labelled with topology.kubernetes.io/zone");
        assertThat(of("placement", redisWith("placement: {spread: hard, minZones: 3}"))).isEmpty();
        assertThat(of("placement", redisWith("placement: {spread: hard, spreadKeys: [kubernetes.io/hostname]}"))).isEmpty();
    }

    @Test
    void podCountsBeyondWhatTheTopologyIsBuiltForAreRefused() {
        assertThat(of("topology-shape", redisWith("replicas: 2147483647"))).singleElement().asString()
                .contains("'redis' asks for 2147483647 Redis pods; a Sentinel deployment renders at most 100");
        assertThat(of("topology-shape", "name: t\nnamespace: {name: t}\ndeployments: [{name: c, topology: cluster, auth: {secretName: a},"
                + " cluster: {shards: 65536, replicasPerShard: 65535}}]\n")).singleElement().asString()
                .contains("65536 shards × (1 + 65535) = 4294967296 cluster nodes; Redis Cluster is built for at most 1000");
    }

    @Test
    void aClusterDomainThatIsNoDnsDomainIsRefused() {
        assertThat(of("kubernetes-values", "clusterDomain: cluster.local.\n" + HEAD)).containsExactly(
                "p.yaml:1:16: error[kubernetes-values]: cluster domain 'cluster.local.' is not a DNS domain (lower-case labels of letters,"
                        + " digits and '-', joined by '.', without a trailing '.')\n  fix: use the kubelet's `--cluster-domain`, usually `cluster.local`");
        assertThat(of("kubernetes-values", "clusterDomain: Corp_Internal\n" + HEAD)).hasSize(1);
        assertThat(of("kubernetes-values", "clusterDomain: corp.internal\n" + HEAD)).isEmpty();
    }

    @Test
    void aClusterDomainThatMakesPodNamesLongerThanDnsAllowsIsRefused() {
        String domain = ("a".repeat(60) + ".").repeat(3) + "b".repeat(60);
        assertThat(of("kubernetes-values", "clusterDomain: " + domain + "\n" + HEAD)).singleElement().asString()
                .contains("the pod name 'redis-2.redis-headless.t.svc." + domain + "' is longer than the 253 characters DNS allows");
    }

    @Test
    void tooManyAnnotationBytesAreRefused() {
        String big = "x".repeat(140 * 1024);
        assertThat(of("kubernetes-values", redisWith("podAnnotations: {a: " + big + ", b: " + big + "}"))).singleElement().asString()
                .contains("the annotations take 286722 bytes; the API server accepts at most 262144 per object");
    }

    // ---- selector-labels -----------------------------------------------------------------------------------

    @Test
    void podLabelsCannotOverrideTheSelectorLabels() {
        assertThat(of("selector-labels", redisWith("podLabels: {app.kubernetes.io/instance: other, team: a}"))).containsExactly(
                "p.yaml:7:17: error[selector-labels]: pod label 'app.kubernetes.io/instance' is one redisgen sets (the deployment name;"
                        + " every selector, the NetworkPolicy and the PDB match pods by it); another value would break that\n"
                        + "  fix: remove it; use a key of your own, e.g. `example.com/team`");
    }

    @Test
    void everyLabelRedisgenOrAControllerSetsIsRefusedOnPods() {
        for (String key : List.of("app.kubernetes.io/component", "app.kubernetes.io/name", "app.kubernetes.io/part-of",
                "app.kubernetes.io/managed-by", "statefulset.kubernetes.io/pod-name", "controller-revision-hash", "pod-template-hash",
                "batch.kubernetes.io/job-name", "controller-uid")) {
            assertThat(of("selector-labels", redisWith("podLabels: {" + key + ": x}"))).as(key).hasSize(1);
        }
        // A key of the same family that redisgen leaves alone is the user's.
        assertThat(of("selector-labels", redisWith("podLabels: {app.kubernetes.io/version: \"7.2\"}"))).isEmpty();
    }

    @Test
    void serviceLabelsPodAnnotationsAndNamespaceLabelsCannotReplaceRedisgensEither() {
        assertThat(of("selector-labels", redisWith("services: {labels: {app.kubernetes.io/managed-by: helm}}"))).singleElement().asString()
                .startsWith("p.yaml:7:25: error[selector-labels]: Service label 'app.kubernetes.io/managed-by' is one redisgen sets");
        assertThat(of("selector-labels", redisWith("podAnnotations: {checksum/config: abc}"))).singleElement().asString()
                .startsWith("p.yaml:7:22: error[selector-labels]: pod annotation 'checksum/config' is one redisgen sets");
        assertThat(of("selector-labels", HEAD.replace("namespace: {name: t}", "namespace: {name: t, labels: {pod-security.kubernetes.io/enforce: baseline}}")))
                .containsExactly("p.yaml:2:31: error[selector-labels]: Namespace label 'pod-security.kubernetes.io/enforce' is redisgen's:"
                        + " it comes from `podSecurity`\n  fix: remove it and set `namespace.podSecurity` instead");
        // Not created by redisgen: the Namespace's labels are only documentation then.
        assertThat(of("selector-labels", HEAD.replace("namespace: {name: t}",
                "namespace: {name: t, create: false, labels: {pod-security.kubernetes.io/enforce: baseline}}"))).isEmpty();
    }

    // ---- placement -----------------------------------------------------------------------------------------

    @Test
    void hardZoneAntiAffinityForFivePodsNeedsFiveZones() {
        assertThat(of("placement", redisWith("""
                replicas: 5
                placement: {antiAffinity: hard, topologyKeys: [kubernetes.io/hostname, topology.kubernetes.io/zone]}""")))
                .containsExactly("p.yaml:8:31: warning[placement]: hard anti-affinity over topology.kubernetes.io/zone needs a zone of its own"
                        + " for each of the 5 pods of StatefulSet redis, but the cluster's nodes span 3 zones in most regions (`minZones` is not"
                        + " set): 2 of them would stay Pending and a rolling update would never finish\n"
                        + "  fix: use `antiAffinity: soft` (spread where possible), run at most 3 pods, or set `minZones` to the number of zones"
                        + " your nodes really span");
    }

    @Test
    void hardZoneAntiAffinityBeyondTheStatedZonesIsAnErrorAtMinZones() {
        assertThat(of("placement", redisWith("""
                replicas: 5
                placement: {antiAffinity: hard, topologyKeys: [topology.kubernetes.io/zone], minZones: 4}""")))
                .containsExactly("p.yaml:8:92: error[placement]: hard anti-affinity over topology.kubernetes.io/zone needs a zone of its own"
                        + " for each of the 5 pods of StatefulSet redis, but `minZones` says the nodes span 4: 1 of them would stay Pending and a"
                        + " rolling update would never finish\n  fix: use `antiAffinity: soft` (spread where possible), run at most 4 pods");
    }

    @Test
    void theProxysRolloutSurgePodNeedsAZoneToo() {
        assertThat(of("placement", redisWith("""
                writeEndpoint: {replicas: 3}
                placement: {antiAffinity: hard, topologyKeys: [topology.kubernetes.io/zone], minZones: 3}""")))
                .singleElement().asString().contains("for each of the 4 pods (3 replicas and the rollout's surge pod) of Deployment redis-proxy",
                        "a rollout would never finish");
    }

    /**
     * Hosts, not only zones: hard anti-affinity over kubernetes.io/hostname needs a node for each pod of a workload (the
     * proxy's surge pod included). Lint was silent on it; with `minNodes` stated it is an error there.
     */
    @Test
    void hardHostnameAntiAffinityForMorePodsThanTheStatedNodesIsAnErrorAtMinNodes() {
        assertThat(of("placement", redisWith("""
                replicas: 5
                placement: {antiAffinity: hard, topologyKeys: [kubernetes.io/hostname], minNodes: 4}""")))
                .containsExactly("p.yaml:8:87: error[placement]: hard anti-affinity over kubernetes.io/hostname needs a node of its own"
                        + " for each of the 5 pods of StatefulSet redis, but `minNodes` says 4 nodes can run them: 1 of them would stay Pending"
                        + " and a rolling update would never finish\n  fix: use `antiAffinity: soft` (spread where possible), run at most 4 pods,"
                        + " or give the pods more nodes and raise `minNodes`");
        assertThat(of("placement", redisWith("placement: {antiAffinity: hard, minNodes: 2}")))
                .hasSize(2).anySatisfy(f -> assertThat(f).contains("each of the 3 pods of StatefulSet redis"))
                .anySatisfy(f -> assertThat(f).contains("each of the 3 pods (2 replicas and the rollout's surge pod) of Deployment redis-proxy"));
    }

    @Test
    void minNodesBelowOneIsRefused() {
        assertThat(of("value-range", redisWith("placement: {minNodes: 0}"))).singleElement().asString()
                .startsWith("p.yaml:7:27: error[value-range]: minNodes 0 says no node can run the pods");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            soft zone anti-affinity for 5 pods         | 'replicas: 5' | 'placement: {antiAffinity: soft, topologyKeys: [topology.kubernetes.io/zone]}'
            hard hostname anti-affinity for 5 pods     | 'replicas: 5' | 'placement: {antiAffinity: hard, topologyKeys: [kubernetes.io/hostname]}'
            hard zone anti-affinity for 3 pods         | 'replicas: 3' | 'placement: {antiAffinity: hard, topologyKeys: [topology.kubernetes.io/zone]}'
            hard zone anti-affinity in 5 stated zones  | 'replicas: 5' | 'placement: {antiAffinity: hard, topologyKeys: [topology.kubernetes.io/zone], minZones: 5}'
            hard hostname anti-affinity on 5 nodes     | 'replicas: 5' | 'placement: {antiAffinity: hard, minNodes: 5}'
            soft hostname anti-affinity on 2 nodes     | 'replicas: 5' | 'placement: {antiAffinity: soft, minNodes: 2}'
            minNodes without hostname in the keys      | 'replicas: 5' | 'placement: {antiAffinity: hard, topologyKeys: [topology.kubernetes.io/zone], minZones: 5, minNodes: 2}'
            """)
    void placementThatFitsIsQuiet(String name, String replicas, String placement) {
        assertThat(of("placement", redisWith(replicas + "\n" + placement))).as(name).isEmpty();
    }

    @Test
    void minZonesBelowOneIsRefused() {
        assertThat(of("value-range", redisWith("placement: {minZones: 0}"))).singleElement().asString()
                .startsWith("p.yaml:7:27: error[value-range]: minZones 0 says the nodes span no zone");
    }

    // ---- store-persistence ---------------------------------------------------------------------------------

    @Test
    void aStoreWithoutPersistenceWarns() {
        assertThat(of("store-persistence", redisWith("purpose: store"))).containsExactly(
                "p.yaml:7:14: warning[store-persistence]: deployment 'redis' is a store but has no persistence: its data lives in emptyDirs,"
                        + " and a restart of every pod at once (a node-pool upgrade, a power loss) loses all of it\n"
                        + "  fix: add `persistence: {aof: everysec, size: 10Gi}` (AOF loses at most a second of writes), or use `purpose: cache`"
                        + " if the data can be rebuilt");
    }

    @Test
    void aStoreWithAVolumeButNeitherRdbNorAofWarns() {
        assertThat(of("store-persistence", redisWith("purpose: store\npersistence: {size: 1Gi}"))).singleElement().asString()
                .startsWith("p.yaml:8:5: warning[store-persistence]: deployment 'redis' is a store with a volume but neither RDB nor AOF");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a store with AOF          | 'purpose: store' | 'persistence: {aof: everysec, size: 1Gi}'
            a store with RDB only     | 'purpose: store' | 'persistence: {rdb: ["900 1"], size: 1Gi}'
            a cache without anything  | 'purpose: cache' | 'redis: {}'
            a broker without anything | 'purpose: broker' | 'redis: {}'
            """)
    void persistenceThatFitsThePurposeIsQuiet(String name, String purpose, String persistence) {
        assertThat(of("store-persistence", redisWith(purpose + "\n" + persistence))).as(name).isEmpty();
    }

    // ---- cluster-heals --------------------------------------------------------------------------------------

    static String cluster(String fields) {
        return """
                name: t
                namespace: {name: t}
                deployments:
                  - name: rc
                    topology: cluster
                    auth: {secretName: redis-auth}
                """ + "    " + fields.strip().replace("\n", "\n    ") + "\n";
    }

    @Test
    void aClusterWithoutPersistenceWarnsThatNodesConfIsLostOnEveryRestart() {
        assertThat(of("cluster-heals", cluster("purpose: cache\ncluster: {replicasPerShard: 2}"))).singleElement().asString()
                .startsWith("p.yaml:5:15: warning[cluster-heals]: Redis Cluster 'rc' has no persistence: nodes.conf")
                .contains("fix: add `persistence: {size: 1Gi}`");
    }

    @Test
    void aStoreClusterWithoutReplicasIsRefusedACacheWarned() {
        String store = cluster("purpose: store\npersistence: {aof: everysec, size: 1Gi}\ncluster: {shards: 3, replicasPerShard: 0}");
        assertThat(of("cluster-heals", store)).singleElement().asString()
                .startsWith("p.yaml:9:44: error[cluster-heals]: Redis Cluster 'rc' has no replica per shard")
                .contains("a store cannot lose them", "fix: set `cluster.replicasPerShard: 1`");
        String cache = cluster("purpose: cache\npersistence: {size: 1Gi}\ncluster: {shards: 3, replicasPerShard: 0}");
        assertThat(of("cluster-heals", cache)).singleElement().asString().startsWith("p.yaml:9:44: warning[cluster-heals]");
    }

    @Test
    void oneReplicaPerShardIsNotedAsTheCostOfTheWriteFence() {
        assertThat(of("cluster-heals", cluster("purpose: store\npersistence: {aof: everysec, size: 1Gi}"))).singleElement().asString()
                .startsWith("p.yaml:4:5: note[cluster-heals]: Redis Cluster 'rc' has one replica per shard: a master whose replica is away")
                .contains("refuses writes (NOREPLICAS)", "fix: set `cluster.replicasPerShard: 2`");
    }

    @Test
    void aClusterThatCanHealIsQuiet() {
        assertThat(of("cluster-heals", cluster("purpose: store\npersistence: {aof: everysec, size: 1Gi}\ncluster: {replicasPerShard: 2}"))).isEmpty();
        assertThat(of("cluster-heals", cluster("purpose: cache\npersistence: {size: 1Gi}\ncluster: {shards: 4, replicasPerShard: 2}"))).isEmpty();
    }

    // ---- service-exposure ----------------------------------------------------------------------------------

    @Test
    void aLoadBalancerWithoutNetworkPolicyWarns() {
        assertThat(of("service-exposure", redisWith("services: {type: LoadBalancer}\nnetworkPolicy: {enabled: false}"))).containsExactly(
                "p.yaml:7:22: warning[service-exposure]: deployment 'redis' exposes Redis outside the cluster (LoadBalancer Services redis"
                        + " and redis-replicas) with no NetworkPolicy: anything that reaches the load balancer can connect\n"
                        + "  fix: remove `networkPolicy: {enabled: false}` and list your clients' ranges under `networkPolicy.allowCidrs` (and"
                        + " add `auth`), or keep `type: ClusterIP`");
    }

    /**
     * A LoadBalancer without TLS is a warning, NetworkPolicy or not: it was only a note, so `--strict` passed a profile that
     * sends the Redis password across the load balancer's network readable. Its own rule id, so that accepting it (an
     * internal load balancer) does not also silence a missing NetworkPolicy.
     */
    @Test
    void aLoadBalancerWithoutTlsWarnsEvenBehindANetworkPolicy() {
        String profile = redisWith("services: {type: LoadBalancer}\nnetworkPolicy: {allowCidrs: [10.0.0.0/8]}");
        assertThat(lint(profile)).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
            assertThat(d.format()).isEqualTo("p.yaml:7:22: warning[service-plaintext]: the LoadBalancer Services redis and redis-replicas of"
                    + " 'redis' carry Redis in plain text, so the password and the data cross the network readable by"
                    + " anything on its path\n  fix: switch on `tls: {}` (the certificate from a Secret or cert-manager); or keep `type: ClusterIP`;"
                    + " or expose it only on a private network (an internal load balancer) or through a tunnel, and accept this with"
                    + " `acknowledge: [{rule: service-plaintext, reason: \"...\"}]` in the deployment");
        });
        assertThat(of("service-plaintext", "name: t\nnamespace: {name: t}\ndeployments: [{name: c, topology: standalone, services: {type: NodePort}}]\n"))
                .singleElement().asString().contains("the NodePort Service c of 'c' carries Redis in plain text, so the data");
    }

    /** With TLS the exposed Service carries Redis encrypted: nothing to warn about (the NetworkPolicy rule still judges access). */
    @Test
    void aLoadBalancerWithTlsIsNotPlainText() {
        assertThat(lint(redisWith("services: {type: LoadBalancer}\nnetworkPolicy: {allowCidrs: [10.0.0.0/8]}\ntls: {}"))).isEmpty();
    }

    /** The TLS values cert-manager and the API server would refuse, each with its location. */
    @Test
    void tlsValuesCertManagerRefusesAreErrors() {
        assertThat(of("tls", redisWith("tls: {secretName: Not_A_Name}"))).singleElement().asString()
                .startsWith("p.yaml:7:23: error[tls]: 'Not_A_Name' is not a Secret name");
        assertThat(of("tls", redisWith("tls: {certManager: {issuer: ca, duration: 30m, renewBefore: 1h}}"))).satisfiesExactly(
                d -> assertThat(d).contains("error[tls]: duration '30m' is below cert-manager's minimum of 1h"),
                d -> assertThat(d).contains("error[tls]: renewBefore '1h' is not shorter than duration '30m'"));
        assertThat(of("tls", redisWith("tls: {certManager: {issuer: ca, duration: 90d}}"))).singleElement().asString()
                .contains("duration '90d' is not a duration cert-manager reads", "fix: write hours, minutes or seconds, e.g. `2160h`");
        assertThat(of("tls", redisWith("tls: {secretName: redis-auth, certManager: {issuer: ca}}"))).singleElement().asString()
                .contains("the Certificate would write into Secret 'redis-auth', which holds the passwords");
        assertThat(of("tls", redisWith("tls: {certManager: {issuer: ca}}"))).isEmpty();
    }

    /**
     * A kept plain-text port (tls.plainPort): a warning while it is open, an error where it is no port the pod can give it, and
     * an exposed Service that carries it is plain text again.
     */
    @Test
    void aKeptPlainPortWarnsAndMustBeAFreePort() {
        assertThat(of("tls", redisWith("tls: {plainPort: 6380}"))).singleElement().asString()
                .startsWith("p.yaml:7:22: warning[tls]: plain text stays open on port 6380 beside TLS on 6379")
                .contains("fix: move the clients to TLS on 6379, then remove `plainPort`");
        for (String bad : List.of("6379", "26379", "16379", "9121", "80", "70000", "0")) {
            assertThat(of("value-range", redisWith("exporter: {}\ntls: {plainPort: " + bad + "}"))).as(bad).singleElement().asString()
                    .contains("error[value-range]: port " + bad, "fix: use a free port above 1023 that differs from 6379, 16379, 26379 and the exporter"
                            + " ports, e.g. 6380, or remove `plainPort`");
        }
        assertThat(of("value-range", redisWith("tls: {plainPort: 6380}"))).isEmpty();
        // The write endpoint of a Sentinel deployment speaks TLS only; a single cache's client Service carries the plain port.
        assertThat(of("service-plaintext", redisWith("services: {type: LoadBalancer}\nnetworkPolicy: {allowCidrs: [10.0.0.0/8]}\ntls: {plainPort: 6380}")))
                .isEmpty();
        assertThat(of("service-plaintext", "name: t\nnamespace: {name: t}\ndeployments: [{name: c, topology: standalone, services: {type: NodePort},"
                + " tls: {plainPort: 6380}}]\n"))
                .singleElement().asString().contains("carries Redis in plain text on port 6380 (`tls.plainPort`)",
                        "fix: move the clients to TLS on 6379 and remove `tls.plainPort`");
    }

    @Test
    void aLoadBalancerWithoutTlsAcceptedOnPurposeIsANoteAndTheMissingNetworkPolicyStillWarns() {
        String accepted = redisWith("services: {type: LoadBalancer}\nnetworkPolicy: {enabled: false}\nacknowledge: [{rule: service-plaintext, reason: internal load balancer}]");
        assertThat(lint(accepted)).extracting(d -> d.ruleId() + " " + d.severity())
                .containsExactlyInAnyOrder("service-exposure WARNING", "service-plaintext NOTE");
    }

    @Test
    void aNodePortWithoutPasswordOrNetworkPolicySaysAnyoneCanReconfigureIt() {
        assertThat(of("service-exposure", "name: t\nnamespace: {name: t}\ndeployments: [{name: c, topology: standalone, services: {type: NodePort},"
                + " networkPolicy: {enabled: false}}]\n"))
                .first().asString().contains("anything that reaches a node's port can connect, and with no password it can read, write and reconfigure Redis");
    }

    @Test
    void aNetworkPolicyThatAdmitsOnlyNamespacesDropsTheOutsideClients() {
        assertThat(of("service-exposure", redisWith("services: {type: LoadBalancer}\nnetworkPolicy: {allowNamespaces: [app]}")))
                .filteredOn(f -> f.contains("warning")).singleElement().asString().startsWith("p.yaml:8:5: warning[service-exposure]: deployment 'redis' exposes Services redis and"
                        + " redis-replicas as LoadBalancer, but its NetworkPolicy admits only pods of the namespace app: clients outside the cluster"
                        + " are dropped");
    }

    @Test
    void theDefaultNetworkPolicyAdmitsTheOwnNamespaceOnlySoAnExposedServiceWarns() {
        assertThat(of("service-exposure", redisWith("services: {type: LoadBalancer}")))
                .filteredOn(f -> f.contains("warning")).singleElement().asString().startsWith("p.yaml:7:22: warning[service-exposure]: deployment"
                        + " 'redis' exposes Services redis and redis-replicas as LoadBalancer, but its NetworkPolicy admits only pods of the"
                        + " namespace t: clients outside the cluster are dropped");
    }

    @Test
    void aClusterBehindALoadBalancerIsToldAboutMovedRedirects() {
        assertThat(of("service-exposure", "name: t\nnamespace: {name: t}\ndeployments: [{name: c, topology: cluster, services: {type: LoadBalancer},"
                + " networkPolicy: {allowCidrs: [10.0.0.0/8]}}]\n"))
                .singleElement().asString().contains("Redis Cluster clients follow MOVED redirects to pod addresses");
    }

    @Test
    void aTypeWithNoClientServiceToApplyToWarns() {
        assertThat(of("service-exposure", redisWith("services: {type: LoadBalancer}\nwriteEndpoint: {enabled: false}"))).singleElement().asString()
                .startsWith("p.yaml:7:22: warning[service-exposure]: `type: LoadBalancer` of 'redis' applies to no Service");
    }

    @Test
    void clusterIpIsQuiet() {
        assertThat(of("service-exposure", redisWith("services: {type: ClusterIP}"))).isEmpty();
        assertThat(of("service-exposure", HEAD)).isEmpty();
    }

    // ---- the two bugs --------------------------------------------------------------------------------------

    static final String QUOTA = """
            name: t
            namespace:
              name: t
              resourceQuota: {services: 3}
            deployments:
              - name: redis
                topology: sentinel
                auth: {secretName: a}
                sentinel: {quorum: 9}
            """;

    @Test
    void resourceQuotaServicesIsReportedBesideOtherErrors() {
        List<Diagnostic> found = lint(QUOTA);
        assertThat(found).extracting(Diagnostic::ruleId).contains("quorum-range", "resource-quota-services");
        assertThat(found.stream().filter(d -> d.ruleId().equals("resource-quota-services")).findFirst().orElseThrow().format())
                .isEqualTo("p.yaml:4:29: error[resource-quota-services]: the profile renders 4 Services, above the ResourceQuota's services 3"
                        + " in namespace t; the extra ones are rejected\n  fix: raise `services` to at least 4");
    }

    @Test
    void aSentinelFixNeverMentionsClusterFields() {
        for (Diagnostic d : lint(QUOTA)) {
            assertThat(d.format()).doesNotContain("cluster.").doesNotContain("perPodServices");
        }
    }

    @Test
    void aClusterWithPerPodServicesIsOfferedToTurnThemOff() {
        assertThat(of("resource-quota-services", """
                name: t
                namespace: {name: t, resourceQuota: {services: 5}}
                deployments: [{name: c, topology: cluster, auth: {secretName: a}}]
                """)).singleElement().asString().endsWith("fix: raise `services` to at least 8, or set `cluster.perPodServices: false` in 'c'"
                + " (6 Services fewer)");
    }

    @Test
    void theServiceCountThatLintUsesIsWhatRenderRenders() {
        for (String profile : List.of("airflow", "analytics-cluster", "gateway-ha", "jewelry-shop", SchedulingAndPackagingTest.FIXTURE)) {
            var r = Pipeline.render(profile);
            long rendered = r.objects().stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.Service).count();
            assertThat(r.plan().deployments().stream().mapToLong(d -> d.serviceNames().size()).sum()).as(profile).isEqualTo(rendered);
        }
    }

    @Test
    void exporterPortFixesNameTheSentinelPortOnlyWithSentinel() {
        assertThat(of("value-range", "name: t\nnamespace: {name: t}\ndeployments: [{name: c, topology: cluster, auth: {secretName: a},"
                + " exporter: {port: 80}}]\n")).singleElement().asString().endsWith("fix: use 9121");
        assertThat(of("value-range", redisWith("exporter: {port: 80}"))).singleElement().asString()
                .endsWith("fix: use 9121 (Redis) and 9355 (Sentinel)");
    }

    @Test
    void disruptionBudgetFixesFollowTheTopology() {
        assertThat(of("disruption-budget", "name: t\nnamespace: {name: t}\ndeployments: [{name: c, topology: cluster, auth: {secretName: a},"
                + " disruptionBudget: {minAvailable: 0}}]\n")).singleElement().asString()
                .endsWith("fix: set `minAvailable: 5` (one pod down at a time keeps a copy of every slot)");
        assertThat(of("disruption-budget", redisWith("disruptionBudget: {minAvailable: 0}"))).singleElement().asString()
                .endsWith("fix: set `minAvailable: 2` (a majority of the Redis pods)");
    }
}
