package dev.redisgen.profile;

import java.util.List;
import java.util.Map;

@Doc("One Redis deployment: its topology, configuration, resources and the objects around it.")
public record DeploymentSpec(
        @Required @Doc("Base name of the workload; Services and ConfigMaps derive their names from it.") String name,
        @Required @Doc("`sentinel`, `cluster` or `standalone`.") Topology topology,
        @Default("cache") @Doc("`cache`, `broker` or `store`; a broker or store must not evict keys.") Purpose purpose,
        @Default("redis:7.2-alpine") @Doc("Redis image (also runs redis-sentinel and the pod scripts under its /bin/sh).") String image,
        @Doc("Pull policy of every container (`Always`, `IfNotPresent`, `Never`). Absent: what Kubernetes defaults to for each image: "
                + "`Always` for an untagged or `:latest` image, else `IfNotPresent`.") ImagePullPolicy imagePullPolicy,
        @Doc("Secrets (type `kubernetes.io/dockerconfigjson`, created outside redisgen) that every pod of the deployment pulls its images with.")
        List<String> imagePullSecrets,
        @Doc("Redis pods. Sentinel: master plus replicas (default 3). Standalone: 1. Cluster: shards × (1 + replicasPerShard), derived.") Integer replicas,
        @Doc("Sentinel settings for `topology: sentinel` (absent: all defaults); refused with any other topology.") SentinelSpec sentinel,
        @Doc("Redis Cluster settings for `topology: cluster` (absent: all defaults).") ClusterSpec cluster,
        @Default("{}") @Doc("redis.conf settings.") RedisSpec redis,
        @Doc("RDB/AOF persistence and its PersistentVolumeClaims; absent means no persistence (data lives in an emptyDir).") PersistenceSpec persistence,
        @Default("{}") @Doc("Requests and limits per container.") ContainerResources resources,
        @Default("{}") @Doc("Liveness and readiness probe timings.") ProbesSpec probes,
        @Default("{}") @Doc("Scheduling: anti-affinity, topology spread, zones, node selector, tolerations, priority class.") PlacementSpec placement,
        @Doc("redis_exporter sidecars; absent means none.") ExporterSpec exporter,
        @Default("{}") @Doc("Prometheus Operator objects (need `exporter`).") MonitoringSpec monitoring,
        @Doc("Password authentication from an existing Secret; absent means no AUTH (lint warns).") AuthSpec auth,
        @Doc("TLS on every connection (`tls: {}` switches it on with every default: Secret `<name>-tls`); absent means plain text "
                + "(lint warns where a Service leaves the cluster).") TlsSpec tls,
        @Default("{}") @Doc("Pod security context.") SecuritySpec security,
        @Doc("Extra labels on every pod of the deployment (Redis, Sentinel, proxy, Jobs); the labels redisgen selects pods by "
                + "(`app.kubernetes.io/instance`, `component`, `name`, `part-of`, `managed-by`) are refused.") Map<String, String> podLabels,
        @Doc("Extra annotations on every pod of the deployment (e.g. for a service mesh or log collector); `checksum/config` is redisgen's.")
        Map<String, String> podAnnotations,
        @Default("{}") @Doc("NetworkPolicies: deny all, then exactly the flows the topology needs and the clients listed; "
                + "`{enabled: false}` renders none.") NetworkPolicySpec networkPolicy,
        @Default("{}") @Doc("PodDisruptionBudget.") DisruptionSpec disruptionBudget,
        @Doc("Backup CronJobs that copy RDB snapshots to a backup volume; absent means none.") BackupSpec backup,
        @Default("{}") @Doc("Endpoint for clients that are not Sentinel-aware (sentinel topology only).") WriteEndpointSpec writeEndpoint,
        @Default("{}") @Doc("Service names (each defaults to one derived from `name`) and the type, labels and annotations of the client Services.")
        ServicesSpec services,
        @Doc("Clients this deployment serves (`redis-cli`, `redis-py`, `django`, `celery`, `airflow`, `jedis`, `lettuce`, `go-redis`).") List<Client> clients,
        @Doc("Warnings of this deployment accepted on purpose, each by rule id with a reason: lint shows them as notes.")
        List<Acknowledgement> acknowledge) {
}
