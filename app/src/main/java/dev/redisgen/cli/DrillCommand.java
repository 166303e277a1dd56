package dev.redisgen.cli;

import dev.redisgen.drill.Drill;
import dev.redisgen.drill.DrillOptions;
import dev.redisgen.drill.DrillReport;
import dev.redisgen.drill.Scenario;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "drill",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Runs a profile's Sentinel or Redis Cluster topology on this machine and measures failover.",
            "",
            "Each pod runs in its own network, mount, PID and UTS namespaces with real redis-server and "
                    + "redis-sentinel, the exact rendered configs and pod scripts mounted where the pod spec mounts "
                    + "them, and a hosts file with the headless names. A writer writes numbered keys all the time "
                    + "(some confirmed with WAIT 1) while faults are injected, beside a client that keeps one master "
                    + "connection with long timeouts and, where the profile has the HAProxy write endpoint, a plain "
                    + "client of that endpoint. Needs redis-server, redis-sentinel, redis-cli, ip, unshare and nsenter, "
                    + "and haproxy for a profile with the write endpoint (apt-get install redis-server redis-sentinel "
                    + "redis-tools haproxy iproute2 util-linux); runs as root, or without root inside a user namespace "
                    + "of its own where the kernel allows (the pods then run as the invoking user); otherwise it prints "
                    + "what is missing and exits 1.",
            "",
            "A deployment with tls: the drill makes a throw-away CA with openssl in its lab directory and mounts one "
                    + "certificate for every pod (tls.crt, tls.key, ca.crt) where the pod spec mounts the TLS Secret; its "
                    + "writers and checks speak TLS and trust that CA (needs openssl).",
            "",
            "Scenarios: 1 bootstrap, 2 master-kill (SIGKILL), 3 master-prestop (graceful stop through preStop), "
                    + "4 sentinel-kill (a Sentinel killed during a failover), 5 reboot (every pod restarted at once), "
                    + "6 rejoin (the old master comes back as a replica), 7 partition (the master's network cut), "
                    + "8 rolling-update (every pod replaced one at a time, as kubectl rollout restart does), "
                    + "9 container-restart (the master's redis container SIGKILLed and restarted in place), "
                    + "10 oom-kill (its redis-server OOM-killed, the container restarted in place), "
                    + "11 freeze (redis-server stopped for 0.5-3 x down-after, then resumed), "
                    + "12 pod-freeze (every process of the master pod stopped, then resumed), "
                    + "13 replica-restart (a replica pod recreated while the Sentinels fail over), "
                    + "14 dead-master-dns (the master pod gone for good while another pod restarts), "
                    + "15 upgrade (with --upgrade-to: that profile's output applied over the running one, every changed "
                    + "pod rolled as the StatefulSet controllers roll them, then back in the next round; the running "
                    + "Redis and Sentinel settings must equal the rendered ones), "
                    + "18 split-vote (the master pod killed and every live Sentinel made to vote for a candidate that does not "
                    + "exist, as after a split vote: without a retry the failover waits 2 x failover-timeout); "
                    + "Redis Cluster runs 1 (the creation Job, then again: nothing may change), 2, 3, 5, 7, 15 (every node's CONFIG GET "
                    + "must equal the rendered redis.conf) and 16 volume-wipe (a pod "
                    + "recreated with an empty volume must rejoin as a replica), 17 backup-restore (the backup Job, a fresh cluster, "
                    + "the restore Job: every key back), 19 scale (scaled out by one shard and back with the README's steps, "
                    + "writes flowing: the profile rendered with shards + 1 applied, new pods added and the others rolled as the "
                    + "StatefulSet controller does, its creation Job run; then the Job `redisgen drain` renders from the profile, "
                    + "and the profile's output applied again: balanced slots each time, every key back), with a writer that "
                    + "follows MOVED/ASK. "
                    + "A recreated pod gets a new IP, as in Kubernetes. Random timing choices come from --seed.",
            "",
            "Targets: a new master accepting writes within down-after-milliseconds + 3 s (the seed's 30 s too "
                    + "for jewelry-shop), 0 writes confirmed by WAIT lost, 0 moments with two masters accepting "
                    + "writes. Exits 1 when a target is missed."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  redisgen drill --profile airflow",
            "  redisgen drill --profile gateway-ha --scenario master-kill --scenario master-prestop --rounds 10",
            "  redisgen drill --profile jewelry-shop --json > drill.json",
            "  redisgen drill --profile airflow --scenario freeze --scenario pod-freeze --rounds 20 --seed 42",
            "  redisgen drill --profile jewelry-shop --upgrade-to jewelry-shop-v2.yaml --scenario upgrade --rounds 2"})
final class DrillCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", required = true, paramLabel = "NAME|FILE",
            description = "A built-in profile name or the path to a profile file.")
    String profile;

    @Option(names = "--scenario", paramLabel = "S",
            description = "A scenario by number or name (repeatable; default: all).")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1", description = "Rounds of each fault scenario (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", description = "Print the results as JSON instead of the table.")
    boolean json;

    @Option(names = "--busybox", description = "Run the pod scripts under busybox sh, the shell of the alpine images.")
    boolean busybox;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the random timing choices (freeze lengths, when a "
            + "replica restarts during a failover): the same seed repeats them. Default: a new one, named in the report.")
    Long seed;

    @Option(names = "--upgrade-to", paramLabel = "NAME|FILE", description = "The profile scenario upgrade rolls to (and "
            + "back from in the next round): the next version of --profile. Adds scenario upgrade to the default set.")
    String upgradeTo;

    @Override
    public Integer call() {
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--rounds must be 1 or more");
        }
        List<Scenario> selected = new ArrayList<>();
        for (String s : scenarios) {
            try {
                selected.add(Scenario.parse(s));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        var plan = dev.redisgen.pipeline.Pipeline.render(profile).plan();
        if (plan.deployments().stream().noneMatch(d -> d.isSentinel() || d.isCluster())) {
            err.print("redisgen: profile '" + plan.profileName() + "' has no Sentinel deployment or Redis Cluster to drill; a"
                    + " standalone cache does not fail over\n");
            err.flush();
            return ExitCode.USAGE;
        }
        boolean sentinel = plan.deployments().stream().anyMatch(d -> d.isSentinel());
        boolean cluster = plan.deployments().stream().anyMatch(d -> d.isCluster());
        for (Scenario s : selected) {
            if (!(sentinel && s.sentinel() || cluster && s.cluster())) {
                throw new ParameterException(spec.commandLine(), "scenario " + s.id() + " does not apply to "
                        + (cluster ? "Redis Cluster (its scenarios: " + String.join(", ", java.util.Arrays.stream(Scenario.values())
                                .filter(Scenario::cluster).map(Scenario::id).toList()) + ")" : "Sentinel deployments"));
            }
        }
                if (upgradeTo == null && selected.contains(Scenario.UPGRADE)) {
            throw new ParameterException(spec.commandLine(), "scenario upgrade needs --upgrade-to NAME|FILE: the profile to roll to");
        }
        if (upgradeTo != null) {
            // Refused here like any other profile: one message with file, line and column, exit 2.
            dev.redisgen.pipeline.Pipeline.render(upgradeTo);
        }
        DrillOptions options = DrillOptions.of(profile).withUpgradeTo(upgradeTo).withScenarios(selected).withRounds(rounds)
                .withBusybox(busybox).withSeed(seed)
                .withLog(line -> {
                    err.print(line + "\n");
                    err.flush();
                });
        DrillReport report = Drill.run(options);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.toJson() : report.table());
        out.flush();
        return report.exitCode();
    }
}
