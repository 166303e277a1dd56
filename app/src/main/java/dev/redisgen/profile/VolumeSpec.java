package dev.redisgen.profile;

@Doc("A PersistentVolumeClaim size and class.")
public record VolumeSpec(
        @Required @Doc("PVC size.") Memory size,
        @Doc("StorageClass; absent: the profile's `storageClass`, else the cluster's default StorageClass.") String storageClass) {
}
