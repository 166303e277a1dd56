package dev.redisgen.profile;

import java.util.List;

@Doc("Backup CronJobs: each writes a fresh RDB of every master (one per shard on a cluster, named after its slots) and a MANIFEST "
        + "into a folder of its own schedule on a backup volume, and keeps that schedule's last `keep`.")
public record BackupSpec(
        @Required @Doc("The schedules.") List<Schedule> schedules,
        @Required @Doc("The backup volume (a PVC shared by the backup Jobs).") VolumeSpec storage) {

    @Doc("One backup schedule.")
    public record Schedule(
            @Required @Doc("Short name, part of the CronJob name and the folder of its backups (`hourly`, `daily`).") String name,
            @Required @Doc("Cron expression, evaluated in `timeZone`.") String schedule,
            @Default("Etc/UTC") @Doc("IANA time zone of the schedule.") String timeZone,
            @Required @Doc("Backups of this schedule to keep (the others' are never touched).") int keep) {
    }
}
