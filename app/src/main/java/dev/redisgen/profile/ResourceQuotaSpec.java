package dev.redisgen.profile;

@Doc("A ResourceQuota; fields left out are not limited.")
public record ResourceQuotaSpec(
        @Default("true") @Doc("Render the ResourceQuota object; false checks against one that already exists.") boolean render,
        @Doc("`requests.cpu`: total CPU requested by all pods.") Cpu requestsCpu,
        @Doc("`requests.memory`: total memory requested by all pods.") Memory requestsMemory,
        @Doc("`limits.cpu`: total CPU limit of all pods.") Cpu limitsCpu,
        @Doc("`limits.memory`: total memory limit of all pods.") Memory limitsMemory,
        @Doc("`requests.storage`: total storage requested by all PersistentVolumeClaims.") Memory requestsStorage,
        @Doc("`persistentvolumeclaims`: number of PVCs.") Integer persistentVolumeClaims,
        @Doc("`pods`: number of pods.") Integer pods,
        @Doc("`services`: number of Services.") Integer services) {
}
