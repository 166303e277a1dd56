package dev.redisgen.profile;

@Doc("Requests and limits for every container redisgen renders; each is checked against the LimitRange.")
public record ContainerResources(
        @Default("{requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 512Mi}}") @Doc("The redis container.") Resources redis,
        @Default("{requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 200m, memory: 256Mi}}") @Doc("The sentinel container.") Resources sentinel,
        @Default("{requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 200m, memory: 256Mi}}") @Doc("The redis_exporter sidecar.") Resources exporter,
        @Default("{requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 200m, memory: 256Mi}}") @Doc("The sentinel redis_exporter sidecar.") Resources sentinelExporter,
        @Default("{requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 200m, memory: 256Mi}}") @Doc("Init containers (config copy, wait for DNS).") Resources init,
        @Default("{requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 200m, memory: 256Mi}}") @Doc("The write-endpoint proxy (HAProxy).") Resources proxy,
        @Default("{requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}") @Doc("Jobs and CronJobs (cluster creation, backups).") Resources job) {
}
