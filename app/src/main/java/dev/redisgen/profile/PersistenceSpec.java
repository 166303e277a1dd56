package dev.redisgen.profile;

import java.util.List;

@Doc("RDB snapshots, AOF, and the volume they live on.")
public record PersistenceSpec(
        @Doc("RDB save points, each `\"<seconds> <changes>\"`; empty disables RDB.") List<String> rdb,
        @Default("off") @Doc("AOF: `off`, `everysec`, `always` or `no` (appendfsync).") Aof aof,
        @Required @Doc("PVC size per Redis pod.") Memory size,
        @Doc("StorageClass; absent: the profile's `storageClass`, else the cluster's default StorageClass.") String storageClass) {
}
