package dev.redisgen.profile;

@Doc("A PersistentVolumeClaim size and class.")
public record VolumeSpec(
        @Required @Doc("PVC size.") Memory size,
        @Doc("StorageClass; absent uses the cluster default.") String storageClass) {
}
