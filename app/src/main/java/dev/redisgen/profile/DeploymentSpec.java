package dev.redisgen.profile;

import java.util.List;

@Doc("One Redis deployment: its topology, configuration, resources and the objects around it.")
public record DeploymentSpec(
        @Required @Doc("Base name of the workload; Services and ConfigMaps derive their names from it.") String name,
        @Required @Doc("`sentinel`, `cluster` or `standalone`.") Topology topology,
        @Default("cache") @Doc("`cache`, `broker` or `store`; a broker or store must not evict keys.") Purpose purpose,
        @Default("redis:7.2-alpine") @Doc("Redis image (also runs redis-sentinel and the pod scripts under its /bin/sh).") String image,
        @Doc("Redis pods. Sentinel: master plus replicas (default 3). Standalone: 1. Cluster: shards × (1 + replicasPerShard), derived.") Integer replicas,
        @Doc("Sentinel settings for `topology: sentinel` (absent: all defaults); refused with any other topology.") SentinelSpec sentinel,
        @Doc("Redis Cluster settings for `topology: cluster` (absent: all defaults).") ClusterSpec cluster,
        @Default("{}") @Doc("redis.conf settings.") RedisSpec redis,
        @Doc("RDB/AOF persistence and its PersistentVolumeClaims; absent means no persistence (data lives in an emptyDir).") PersistenceSpec persistence,
        @Default("{}") @Doc("Requests and limits per container.") ContainerResources resources,
        @Default("{}") @Doc("Liveness and readiness probe timings.") ProbesSpec probes,
        @Default("{}") @Doc("Pod anti-affinity.") PlacementSpec placement,
        @Doc("redis_exporter sidecars; absent means none.") ExporterSpec exporter,
        @Default("{}") @Doc("Prometheus Operator objects (need `exporter`).") MonitoringSpec monitoring,
        @Doc("Password authentication from an existing Secret; absent means no AUTH (lint warns).") AuthSpec auth,
        @Default("{}") @Doc("Pod security context.") SecuritySpec security,
        @Doc("NetworkPolicy: deny by default, allow the listed namespaces; absent means none.") NetworkPolicySpec networkPolicy,
        @Default("{}") @Doc("PodDisruptionBudget.") DisruptionSpec disruptionBudget,
        @Doc("Backup CronJobs that copy RDB snapshots to a backup volume; absent means none.") BackupSpec backup,
        @Default("{}") @Doc("Endpoint for clients that are not Sentinel-aware (sentinel topology only).") WriteEndpointSpec writeEndpoint,
        @Default("{}") @Doc("Service name overrides; every name has a default derived from `name`.") ServiceNames services,
        @Doc("Clients this deployment serves (`redis-cli`, `redis-py`, `django`, `celery`, `airflow`, `jedis`, `lettuce`, `go-redis`).") List<Client> clients) {
}
