package dev.redisgen.drill;

import java.util.Arrays;
import java.util.Locale;

/** The drill's scenarios, in the order the drill numbers and runs them. */
public enum Scenario {
    BOOTSTRAP("bootstrap", "one master, every replica linked, every Sentinel agreeing"),
    MASTER_KILL("master-kill", "master pod killed with SIGKILL, recreated after the failover"),
    MASTER_PRESTOP("master-prestop", "master pod deleted gracefully: preStop, SIGTERM, grace period"),
    SENTINEL_KILL("sentinel-kill", "master's redis container SIGKILLed, then a Sentinel that is not the leader killed during the failover"),
    REBOOT("reboot", "every pod killed and recreated at once (whole-cluster reboot)"),
    REJOIN("rejoin", "master pod killed; the old master comes back and must rejoin as a replica"),
    PARTITION("partition", "master's network cut from every other pod (its process keeps running), then healed"),
    ROLLING_UPDATE("rolling-update", "every pod replaced one at a time, highest ordinal first, each new pod ready before the"
                                     + " next goes (kubectl rollout restart): new pod IPs everywhere, the master hands over on its turn"),
    CONTAINER_RESTART("container-restart", "master's redis container SIGKILLed and restarted in place by the kubelet (same pod, IP and"
                                           + " volumes, no init container), long before down-after"),
    OOM_KILL("oom-kill", "the kernel's OOM killer kills the master's largest process (redis-server) and the kubelet restarts the"
                         + " container in place"),
    FREEZE("freeze", "master's redis-server stopped (SIGSTOP: a long stall, a stuck disk) for 0.5-3 x down-after, then resumed"),
    POD_FREEZE("pod-freeze", "every process of the master pod stopped (a paused VM or node) for 0.5-3 x down-after, then resumed"),
    REPLICA_RESTART("replica-restart", "master pod killed; a replica pod recreated (new IP) while the Sentinels fail over"),
    DEAD_MASTER_DNS("dead-master-dns", "master pod gone for good (its name never resolves again) while another pod restarts"
                                       + " (co-located: a replica pod; separate: a Sentinel pod)"),
    UPGRADE("upgrade", "the output of --upgrade-to applied over the running one: ConfigMaps updated in every pod, every"
                       + " StatefulSet rolled as its controller does (highest ordinal first, one ready pod at a time, the"
                       + " StatefulSets at the same time), the next round back; then the running Redis and Sentinel"
                       + " settings must equal the rendered ones (only with --upgrade-to; a Redis Cluster: its StatefulSet rolled"
                       + " and the changed creation Job run at the same time, then CONFIG GET on every node)"),
    VOLUME_WIPE("volume-wipe", "Redis Cluster: a pod killed and recreated with an empty volume (a lost PVC); it must rejoin as"
                               + " the replica of the shard that lacks one, with no command typed"),
    BACKUP_RESTORE("backup-restore", "Redis Cluster: the rendered backup CronJob's command run as a Job, then a fresh cluster"
                                     + " (every volume new) created by the creation Job and the Job `redisgen restore` renders"
                                     + " run into it: every key written before the backup must be back"),
    SPLIT_VOTE("split-vote", "master pod killed with SIGKILL, and at once every live Sentinel votes in the next epoch for a"
                             + " candidate that does not exist (as after a split vote or a leader that died mid-election:"
                             + " a Sentinel that voted for another starts no failover for 2 x failover-timeout)"),
    SCALE("scale", "Redis Cluster: scaled out by one shard and back with the README's steps, writes flowing: the profile rendered"
                   + " with shards + 1 applied (new pods, the others rolled, the new creation Job), then the Job `redisgen drain`"
                   + " renders from the original profile and the original output applied: slots balanced each time, no key lost");

    private final String id;
    private final String description;

    Scenario(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** Whether the drill of a Sentinel deployment runs this scenario. */
    public boolean sentinel() {
        return this != VOLUME_WIPE && this != BACKUP_RESTORE && this != SCALE;
    }

    /**
     * Whether the drill of a Redis Cluster runs this scenario: bootstrap (the creation Job), master-kill,
     * master-prestop, reboot, partition, upgrade, volume-wipe, backup-restore and scale (see ClusterFaults).
     */
    public boolean cluster() {
        return switch (this) {
            case BOOTSTRAP, MASTER_KILL, MASTER_PRESTOP, REBOOT, PARTITION, UPGRADE, VOLUME_WIPE, BACKUP_RESTORE, SCALE -> true;
            default -> false;
        };
    }

    /**
     * By id ("master-kill") or number (1..7 as in the first drill issue, 8 rolling-update, 9-14 the Kubernetes faults, 15 upgrade,
     * 16-17 the Redis Cluster volume-wipe and backup-restore, 18 split-vote, 19 the Redis Cluster scale).
     */
    public static Scenario parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.matches("[0-9]{1,2}") && Integer.parseInt(t) >= 1 && Integer.parseInt(t) <= values().length) {
            return values()[Integer.parseInt(t) - 1];
        }
        return Arrays.stream(values()).filter(v -> v.id.equals(t)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + s + "' (1-" + values().length + " or "
                        + String.join(", ", Arrays.stream(values()).map(Scenario::id).toList()) + ")"));
    }
}
