package dev.redisgen.profile;

import java.util.List;

@Doc("Backup CronJobs: each copies the newest RDB snapshot of every master to a backup volume and keeps the last `keep`.")
public record BackupSpec(
        @Required @Doc("The schedules.") List<Schedule> schedules,
        @Required @Doc("The backup volume (a PVC shared by the backup Jobs).") VolumeSpec storage) {

    @Doc("One backup schedule.")
    public record Schedule(
            @Required @Doc("Short name, part of the CronJob name (`hourly`, `daily`).") String name,
            @Required @Doc("Cron expression, evaluated in `timeZone`.") String schedule,
            @Default("Etc/UTC") @Doc("IANA time zone of the schedule.") String timeZone,
            @Required @Doc("Backups to keep.") int keep) {
    }
}
