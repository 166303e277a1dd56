package dev.redisgen.cli;

import dev.redisgen.pipeline.Pipeline;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "restore",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Renders the Job that restores a Redis Cluster backup.",
            "",
            "Prints one Job on stdout, for `kubectl create -f -` (not apply, and not into a GitOps directory: it runs "
                    + "once, when you create it). It mounts the backup volume read-only, waits for the cluster "
                    + "(cluster_state:ok), and copies every key of the backup (value and TTL) into it: each shard's RDB "
                    + "is loaded by a private redis-server in the Job's pod and every key sent with MIGRATE to the master "
                    + "owning its slot now, so the nodes write it to their AOF (a dump.rdb copied into /data would load "
                    + "nothing: with appendonly yes Redis starts from the AOF). The target may have another shape than the "
                    + "backed-up cluster. A cluster that holds keys is refused unless --replace. The Job is named after a "
                    + "hash of its spec: creating it twice is refused by the API server."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen restore --profile analytics-cluster --backup daily/latest | kubectl create -f -",
            "  redisgen restore --profile analytics-cluster --backup hourly/20250301T140000Z | kubectl create -f -",
            "  redisgen restore --profile my-team.yaml --deployment sessions --backup daily/latest --replace > restore-job.yaml"})
final class RestoreCommand implements Callable<Integer> {
    /** SCHEDULE/TIME or SCHEDULE/latest, as backup.sh names its folders. */
    private static final Pattern BACKUP = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*/([0-9]{8}T[0-9]{6}Z(-[0-9]+)?|latest)");

    @Spec
    CommandSpec spec;

    @Mixin
    Selection selection;

    @Option(names = "--backup", required = true, paramLabel = "SCHEDULE/TIME",
            description = "The backup: a schedule's folder and a backup in it, e.g. daily/20250301T020000Z, or SCHEDULE/latest "
                    + "for its newest complete backup when the Job runs.")
    String backup;

    @Option(names = "--deployment", paramLabel = "NAME",
            description = "The Redis Cluster deployment of the profile to restore (needed when it has several with backups).")
    String deployment;

    @Option(names = "--replace",
            description = "Restore into a cluster that holds keys, replacing keys of the same name (default: refuse a non-empty cluster).")
    boolean replace;

    @Override
    public Integer call() {
        if (!BACKUP.matcher(backup).matches()) {
            throw new ParameterException(spec.commandLine(), "--backup '" + backup + "' is not SCHEDULE/TIME (e.g. daily/20250301T020000Z)"
                    + " or SCHEDULE/latest, as backup.sh names the folders of the backup volume");
        }
        return OneJob.print(spec, selection, p -> Pipeline.restore(p, deployment, backup, replace));
    }
}
