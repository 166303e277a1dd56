package dev.redisgen.drill;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Sentinel scenarios, one small class per fault, each named after the fault it injects (the numbers of
 * {@code --scenario} in each comment). Each injects its fault into a settled deployment with the writers and the observer
 * of {@link SentinelDrill} running and returns the scenario's figure: by default the time to the first write another
 * master acknowledged, against the failover target (down-after + 3 s).
 */
final class SentinelFaults {
    private SentinelFaults() {
    }

    static SentinelFault of(Scenario s) {
        return switch (s) {
            case BOOTSTRAP -> new Bootstrap();
            case MASTER_KILL -> new MasterKill(false);
            case REJOIN -> new MasterKill(true);
            case MASTER_PRESTOP -> new MasterPrestop();
            case SENTINEL_KILL -> new SentinelKill();
            case REBOOT -> new Reboot();
            case PARTITION -> new Partition();
            case ROLLING_UPDATE -> new RollingUpdate();
            case CONTAINER_RESTART -> new ContainerRestart(false);
            case OOM_KILL -> new ContainerRestart(true);
            case FREEZE -> new Freeze(false);
            case POD_FREEZE -> new Freeze(true);
            case REPLICA_RESTART -> new ReplicaRestart();
            case DEAD_MASTER_DNS -> new DeadMasterDns();
            case SPLIT_VOTE -> new SplitVote();
            case UPGRADE -> new RollingUpgrade();
            case VOLUME_WIPE, BACKUP_RESTORE, SCALE -> throw new IllegalArgumentException(s.id() + " is a Redis Cluster scenario");
        };
    }

    /** 1, bootstrap. Every pod started at once (podManagementPolicy Parallel): the time to a settled deployment. */
    static final class Bootstrap implements SentinelFault {
        @Override
        public double target(SentinelDrill d) {
            return SentinelDrill.BOOTSTRAP_TARGET_SECONDS;
        }

        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            List<Thread> starts = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Lab.Pod p : d.lab.pods) {
                Thread t = new Thread(() -> {
                    try {
                        d.lab.startPod(p, false);
                    } catch (IOException | InterruptedException e) {
                        synchronized (errors) {
                            errors.add(e.getMessage());
                        }
                    }
                });
                t.start();
                starts.add(t);
            }
            for (Thread t : starts) {
                t.join(200_000);
            }
            if (!errors.isEmpty()) {
                throw new IOException(String.join("; ", errors));
            }
            Lab.Pod m = d.settle(SentinelDrill.BOOTSTRAP_TARGET_SECONDS + 30);
            return m == null ? null : SentinelDrill.seconds(t0);
        }
    }

    /** 2, master-kill: the master pod SIGKILLed and recreated; 6, rejoin: the old master must come back as a linked replica within 30 s. */
    static final class MasterKill implements SentinelFault {
        final boolean rejoin;

        MasterKill(boolean rejoin) {
            this.rejoin = rejoin;
        }

        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            d.lab.killPod(master);
            Double f = d.awaitFailover(t0, master);
            // The StatefulSet controller recreates the pod: same name and claim, fresh emptyDirs.
            Thread.sleep(1000);
            d.lab.startPod(master, true);
            if (rejoin) {
                long r0 = System.nanoTime();
                boolean ok = SentinelDrill.await(30, () -> d.linkedReplica(master));
                note.add(ok ? String.format(Locale.ROOT, "old master rejoined as a replica in %.1f s", SentinelDrill.seconds(r0))
                        : "old master did not rejoin as a replica within 30 s");
                if (!ok) {
                    return null;
                }
            }
            return f;
        }
    }

    /** 3, master-prestop: the master pod deleted gracefully; its preStop hands over to a replica. */
    static final class MasterPrestop implements SentinelFault {
        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            return d.deleteGracefully(master, t0);
        }
    }

    /** 4, sentinel-kill: the master's redis container killed, then, once a leader is elected, another Sentinel. */
    static final class SentinelKill implements SentinelFault {
        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            Topology.ContainerSpec redis = d.g.redis().container("redis-start.sh").orElseThrow();
            Topology.ContainerSpec sentinel = d.g.sentinels().container("sentinel-start.sh").orElseThrow();
            Map<String, Integer> offsets = d.sentinelLogOffsets();
            d.lab.killContainer(master, redis.name());
            // Wait for the leader to announce itself, then kill another Sentinel: the failover must
            // complete with the remaining majority.
            SentinelDrill.SentinelEvent elected = d.awaitSentinelEvent(offsets, "+elected-leader");
            Lab.Pod leader = elected == null ? null : elected.pod();
            Lab.Pod victim = null;
            for (Lab.Pod p : d.lab.sentinelPods) {
                if (p != leader && (victim == null || p == master)) {
                    victim = p;
                }
            }
            d.lab.killContainer(victim, sentinel.name());
            note.add("killed Sentinel " + victim.name + (leader == null ? " (no leader seen in time)" : " while " + leader.name + " led the failover"));
            Double f = d.awaitFailover(t0, master);
            // The kubelet restarts both containers in place (emptyDirs kept, no init container).
            d.lab.startContainer(victim, sentinel);
            d.lab.startContainer(master, redis);
            return f;
        }
    }

    /**
     * 5, reboot. Every pod restarted at once, as Kubernetes restarts them (all pods deleted together, a rolling node
     * reboot done at once): graceful termination in parallel (preStop, SIGTERM, on which Redis saves),
     * then every pod started again at once (podManagementPolicy Parallel). A crash of every process is
     * scenario 2's SIGKILL applied to all; for an RDB-only profile it loses what the last save missed.
     */
    static final class Reboot implements SentinelFault {
        @Override
        public double target(SentinelDrill d) {
            return SentinelDrill.REBOOT_TARGET_SECONDS;
        }

        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            d.eachPodAtOnce("graceful stop", d.lab::stopPod);
            // Measured from the moment every pod is gone: writes acknowledged before the last stop do not count.
            t0 = System.nanoTime();
            Thread.sleep(1000);
            d.eachPodAtOnce("restart", p -> d.lab.startPod(p, true));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) SentinelDrill.REBOOT_TARGET_SECONDS + 30);
            while (System.nanoTime() < deadline) {
                Writer.Ack a = d.writerAckAfter(t0, null);
                if (a != null) {
                    return (a.nanos - t0) / 1e9;
                }
                Thread.sleep(50);
            }
            return null;
        }
    }

    /** 7, partition: the master's network cut from every pod until 6 s past the failover, then healed; it must rejoin as a replica. */
    static final class Partition implements SentinelFault {
        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            d.lab.cut(master, true);
            Double f = d.awaitFailover(t0, master);
            // Hold the partition a while past the failover: an old master that still takes writes
            // (min-replicas-max-lag) shows as a second master meanwhile.
            Thread.sleep(6_000);
            d.lab.cut(master, false);
            long h0 = System.nanoTime();
            boolean ok = SentinelDrill.await(60, () -> d.linkedReplica(master));
            note.add(ok ? String.format(Locale.ROOT, "old master rejoined as a replica %.1f s after the heal", SentinelDrill.seconds(h0))
                    : "old master did not rejoin as a replica within 60 s of the heal");
            return ok ? f : null;
        }
    }

    /**
     * 8, rolling-update. kubectl rollout restart: each StatefulSet replaces its pods one at a time from the highest
     * ordinal down, the next only once the new pod is ready (the rendered readiness: Redis answers
     * and is not in a full sync; Sentinel answers). Every pod comes back with a new IP, so Sentinels
     * must follow the names, not the addresses they resolved before. Returns the longest time in which
     * no write was acknowledged (the master's own hand-over starts when its preStop does, and writes
     * keep flowing while it waits for fresh Sentinel views: the gap is what clients see).
     */
    static final class RollingUpdate implements SentinelFault {
        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            List<Lab.Pod> order = new ArrayList<>(d.lab.redisPods);
            java.util.Collections.reverse(order);
            if (!d.g.colocated()) {
                List<Lab.Pod> sentinels = new ArrayList<>(d.lab.sentinelPods);
                java.util.Collections.reverse(sentinels);
                order.addAll(sentinels);
            }
            Double[] handOver = {null};
            for (Lab.Pod p : order) {
                String failure = d.replace(p, p.template, handOver);
                if (failure != null) {
                    note.add(failure);
                    return null;
                }
            }
            double gap = d.current.longestGapSeconds(t0, System.nanoTime());
            note.add(String.format(Locale.ROOT, "%d pods replaced in %.1f s; the master handed over %s after its deletion;"
                    + " failover = the longest time without an acknowledged write", order.size(), SentinelDrill.seconds(t0),
                    handOver[0] == null ? "never" : String.format(Locale.ROOT, "%.2f s", handOver[0])));
            return handOver[0] == null ? null : gap;
        }
    }

    /**
     * 9, container-restart, and 10, oom-kill. The kubelet restarts a crashed container in place: same pod, IP and volumes (emptyDirs included), no init
     * container, within a second or so, long before down-after, so the Sentinels still name this pod master when
     * it starts again. oom: the kernel's OOM killer picks the container's largest process (redis-server); its
     * death ends the container as PID 1's death does (and memory.oom.group kills the rest).
     */
    static final class ContainerRestart implements SentinelFault {
        final boolean oom;

        ContainerRestart(boolean oom) {
            this.oom = oom;
        }

        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            Topology.ContainerSpec redis = d.g.redis().container("redis-start.sh").orElseThrow();
            if (oom) {
                long pid = d.lab.largestProcess(master, redis.name())
                        .orElseThrow(() -> new IOException("no process in " + master.name + "/" + redis.name()));
                Lab.signal("KILL", List.of(pid));
            }
            d.lab.killContainer(master, redis.name());
            long fault = System.nanoTime();
            long delay = 300 + d.random.nextInt(1200);
            Thread.sleep(delay);
            d.lab.startContainer(master, redis);
            note.add(String.format(Locale.ROOT, "%s/%s %s and restarted in place after %.1f s", master.name, redis.name(),
                    oom ? "OOM-killed (its largest process)" : "SIGKILLed", delay / 1000.0));
            return d.awaitFailover(fault, null);
        }
    }

    /**
     * 11, freeze, and 12, pod-freeze. SIGSTOP, then SIGCONT after 0.5-3 x down-after: redis-server alone (a stall of the process: a stuck disk, a
     * long fork) or every process of the pod (a paused VM or node; the pod's Sentinel stops too). Shorter than
     * down-after, the old master must simply go on; longer, a replica is promoted meanwhile and the old master
     * must not take a write that is then lost, however long its clients wait for an answer.
     */
    static final class Freeze implements SentinelFault {
        final boolean wholePod;

        Freeze(boolean wholePod) {
            this.wholePod = wholePod;
        }

        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            Topology.ContainerSpec redis = d.g.redis().container("redis-start.sh").orElseThrow();
            double factor = 0.5 + d.random.nextDouble() * 2.5;
            long millis = (long) (d.g.downAfterMillis() * factor);
            List<Long> frozen;
            if (wholePod) {
                frozen = d.lab.freeze(master, null);
            } else {
                frozen = d.lab.processes(master, redis.name()).subList(0, 1);
                Lab.signal("STOP", frozen);
            }
            long fault = System.nanoTime();
            Thread.sleep(millis);
            Lab.signal("CONT", frozen);
            note.add(String.format(Locale.ROOT, "%s of %s frozen for %.1f s (%.2f x down-after)", wholePod ? "every process"
                    : "redis-server", master.name, millis / 1000.0, factor));
            return d.awaitFailover(fault, null);
        }
    }

    /**
     * 13, replica-restart. The master pod is killed, and while the Sentinels fail over (when the leader selects or has promoted a replica,
     * chosen at random) another replica pod is recreated with a new IP: the leader's reconfiguration may go to its
     * old address. Co-located, a pod hosting the leader only has its redis container restarted (killing the leader
     * is scenario 4's business).
     */
    static final class ReplicaRestart implements SentinelFault {
        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            Map<String, Integer> offsets = d.sentinelLogOffsets();
            d.lab.killPod(master);
            String event = d.random.nextBoolean() ? "+selected-slave" : "+promoted-slave";
            SentinelDrill.SentinelEvent e = d.awaitSentinelEvent(offsets, event);
            List<Lab.Pod> candidates = new ArrayList<>();
            for (Lab.Pod p : d.lab.redisPods) {
                if (p != master && (e == null || !e.line().contains(p.fqdn()) && !e.line().contains(" " + p.ip + " "))) {
                    candidates.add(p);
                }
            }
            if (e == null || candidates.isEmpty()) {
                // The failover itself is late (a split vote, say): measured as it is, nobody restarted.
                note.add(e == null ? "no Sentinel logged " + event + " within down-after + 4 s"
                        : "no replica besides the one promoted: " + e.line());
                Double f = d.awaitFailover(t0, master);
                d.lab.startPod(master, true);
                return f;
            }
            Lab.Pod victim = candidates.get(d.random.nextInt(candidates.size()));
            if (d.g.colocated() && victim == e.pod()) {
                Topology.ContainerSpec redis = d.g.redis().container("redis-start.sh").orElseThrow();
                d.lab.killContainer(victim, redis.name());
                d.lab.startContainer(victim, redis);
                note.add("at " + event + " restarted " + victim.name + "/" + redis.name() + " in place (its pod hosts the leader)");
            } else {
                d.lab.killPod(victim);
                d.lab.startPod(victim, true);
                note.add("at " + event + " recreated " + victim.name + " with a new IP");
            }
            Double f = d.awaitFailover(t0, master);
            Thread.sleep(1000);
            d.lab.startPod(master, true);
            return f;
        }
    }

    /**
     * 14, dead-master-dns. The master pod is gone for good (its node died: no DNS record ever again) and, before the failover, another pod
     * restarts: co-located a replica pod (its Sentinel restarts with it), separate a Sentinel pod. Its Sentinel must
     * start at once, monitoring a name that does not resolve, and vote: without it there is no majority. The dead pod
     * is recreated once the failover is measured, so the round can settle.
     */
    static final class DeadMasterDns implements SentinelFault {
        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            d.lab.killPod(master);
            List<Lab.Pod> candidates = new ArrayList<>(d.g.colocated() ? d.lab.redisPods : d.lab.sentinelPods);
            candidates.remove(master);
            Lab.Pod victim = candidates.get(d.random.nextInt(candidates.size()));
            d.lab.killPod(victim);
            long delay = 300 + d.random.nextInt(1200);
            Thread.sleep(delay);
            d.lab.startPod(victim, true);
            note.add(String.format(Locale.ROOT, "%s recreated %.1f s after the master pod died for good", victim.name, delay / 1000.0));
            Double f = d.awaitFailover(t0, master);
            d.lab.startPod(master, true);
            return f;
        }
    }

    /**
     * 18, split-vote. master-kill, and at once every Sentinel still alive votes for a candidate that does not exist, in the next epoch
     * (SENTINEL IS-MASTER-DOWN-BY-ADDR is the vote request): each then starts no failover of its own for
     * 2 x failover-timeout, as after a split vote or a vote for a leader that died mid-election (issue 7).
     */
    static final class SplitVote implements SentinelFault {
        /** A runid no Sentinel has: the candidate split-vote makes the live Sentinels vote for. */
        static final String ABSENT_CANDIDATE = "0000000000000000000000000000000000000000";

        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            d.lab.killPod(master);
            int voted = 0;
            for (Lab.Pod s : d.lab.sentinelPods) {
                if (s == master) {
                    continue;
                }
                if (voteForAbsentCandidate(d, s, master)) {
                    voted++;
                }
            }
            note.add(voted + " of " + (d.lab.sentinelPods.size() - (d.g.colocated() ? 1 : 0)) + " live Sentinels voted for a candidate that does not exist");
            Double f = d.awaitFailover(t0, master);
            Thread.sleep(1000);
            d.lab.startPod(master, true);
            return f;
        }

        /** Sentinel S votes for ABSENT_CANDIDATE about MASTER: in the lowest epoch above its own vote that it accepts. */
        static boolean voteForAbsentCandidate(SentinelDrill d, Lab.Pod s, Lab.Pod master) {
            long epoch = 0;
            // The master as this Sentinel names it (a pod name with announce-hostnames), as the vote request must.
            String host = master.ip;
            String port = Integer.toString(d.g.redisPort());
            if (Resp.once(s.ip, d.g.sentinelPort(), d.sentinelPassword, 500, "SENTINEL", "master", d.g.masterName()) instanceof List<?> l) {
                Map<String, String> f = Resp.fields(l);
                epoch = Long.parseLong(f.getOrDefault("config-epoch", "0"));
                host = f.getOrDefault("ip", host);
                port = f.getOrDefault("port", port);
            }
            // A Sentinel votes when the request's epoch is not below its current epoch, which it does not show: each
            // refusal answers its last vote's epoch, and the next try goes above it.
            for (int tries = 0; tries < 20; tries++) {
                epoch++;
                Object r = Resp.once(s.ip, d.g.sentinelPort(), d.sentinelPassword, 500, "SENTINEL", "is-master-down-by-addr", host, port,
                        Long.toString(epoch), ABSENT_CANDIDATE);
                if (!(r instanceof List<?> reply) || reply.size() != 3) {
                    return false;
                }
                if (ABSENT_CANDIDATE.equals(String.valueOf(reply.get(1)))) {
                    return true;
                }
                epoch = Math.max(epoch, Long.parseLong(String.valueOf(reply.get(2))));
            }
            return false;
        }
    }

    /**
     * 15, upgrade (odd rounds to --upgrade-to, even ones back). kubectl apply of another profile's output: the ConfigMaps change in every pod at once, then each
     * StatefulSet's controller (podManagementPolicy Parallel, RollingUpdate) scales and rolls its pods: new ordinals
     * are created at once, removed ones deleted at once (gracefully: a master among them hands over in its preStop),
     * and the pods kept are replaced from the highest ordinal down, each once every pod above it (new ones included)
     * is Ready; the StatefulSets (and the proxy Deployment, one pod at a time) at the same time, as their controllers
     * do. Then every Redis and Sentinel must run the settings TO renders and the Sentinels count the pods that exist
     * (Upgrade.mismatches). Returns the longest time without an acknowledged write (null on a mismatch).
     */
    static final class RollingUpgrade implements SentinelFault {
        @Override
        public Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            Topology.Group to = d.round % 2 == 1 ? d.upgradeTo : d.upgradeFrom;
            for (Lab.Pod p : d.lab.pods) {
                d.lab.updateConfigMaps(p, Upgrade.templateOf(d.lab, p, to));
            }
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Double[] handOver = {null};
            List<String> added = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> removed = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> replaced = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> controllers = new ArrayList<>();
            controllers.add(controller(d, d.lab.redisPods, to.redis(), failures, handOver, added, removed, replaced));
            if (!d.g.colocated()) {
                controllers.add(controller(d, d.lab.sentinelPods, to.sentinels(), failures, handOver, added, removed, replaced));
            }
            if (!d.lab.proxyPods.isEmpty()) {
                List<Lab.Pod> roll = reversed(d.lab.proxyPods);
                controllers.add(thread("drill-rollout-" + roll.get(0).template.statefulSet(), failures, () -> {
                    for (Lab.Pod p : roll) {
                        String failure = d.replace(p, to.proxy(), handOver);
                        if (failure != null) {
                            failures.add(failure);
                            return;
                        }
                        replaced.add(p.name);
                    }
                }));
            }
            for (Thread t : controllers) {
                t.join(TimeUnit.MINUTES.toMillis(10));
            }
            if (!failures.isEmpty()) {
                note.addAll(failures);
                return null;
            }
            double gap = d.current.longestGapSeconds(t0, System.nanoTime());
            note.add(String.format(Locale.ROOT, "rolled to %s in %.1f s: %s added, %s removed, %d pods replaced (%s), %d StatefulSet(s)%s"
                    + " at the same time; the master handed over %s after its deletion; failover = the longest time without an"
                    + " acknowledged write", to == d.upgradeTo ? "--upgrade-to" : "the first profile", SentinelDrill.seconds(t0),
                    // Pods created (deleted) at once finish in any order: named by ordinal, so the note reads the same every run.
                    added.isEmpty() ? "none" : String.join(" ", Drill.byOrdinal(added)), removed.isEmpty() ? "none" : String.join(" ", Drill.byOrdinal(removed)),
                    replaced.size(), String.join(" ", replaced), d.g.colocated() ? 1 : 2, d.lab.proxyPods.isEmpty() ? "" : " and the proxy Deployment",
                    handOver[0] == null ? "never" : String.format(Locale.ROOT, "%.2f s", handOver[0])));
            long s0 = System.nanoTime();
            if (d.settle(SentinelDrill.SETTLE_SECONDS) == null) {
                note.add("not settled after the roll: " + d.state());
                return null;
            }
            // The Sentinels learn a new replica from the master's INFO (every 10 s) and forget a gone one only as the
            // scripts make them: the settings, and the counts, must come right within a bound.
            List<String> off = Upgrade.mismatches(d.lab, to, d.redisPassword, d.sentinelPassword);
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!off.isEmpty() && System.nanoTime() < bound) {
                Thread.sleep(500);
                off = Upgrade.mismatches(d.lab, to, d.redisPassword, d.sentinelPassword);
            }
            if (!off.isEmpty()) {
                note.add("running settings differ from the rendered ones: " + String.join("; ", off));
                return null;
            }
            note.add(String.format(Locale.ROOT, "running settings equal the rendered ones (Redis CONFIG GET, SENTINEL MASTER, the"
                    + " Sentinels counting %d replicas and %d other Sentinels) %.1f s after the roll", d.lab.redisPods.size() - 1,
                    d.lab.sentinelPods.size() - 1, SentinelDrill.seconds(s0)));
            return gap;
        }

        /**
         * One StatefulSet's controller applying TO to PODS (lab.redisPods, or lab.sentinelPods of separate Sentinels):
         * scale and roll at once (see inject).
         */
        static Thread controller(SentinelDrill d, List<Lab.Pod> pods, Topology.PodTemplate to, List<String> failures, Double[] handOver, List<String> added,
                          List<String> removed, List<String> replaced) throws IOException {
            List<Lab.Pod> before = new ArrayList<>(pods);
            before.sort(java.util.Comparator.comparingInt(p -> p.ordinal));
            List<Lab.Pod> condemned = before.stream().filter(p -> p.ordinal >= to.replicas()).toList();
            List<Lab.Pod> kept = before.stream().filter(p -> p.ordinal < to.replicas()).toList();
            List<Lab.Pod> created = new ArrayList<>();
            for (int ordinal = before.size(); ordinal < to.replicas(); ordinal++) {
                created.add(d.lab.addPod(to, ordinal, pods));
            }
            List<Thread> parts = new ArrayList<>();
            for (Lab.Pod p : condemned) {
                parts.add(thread("drill-delete-" + p.name, failures, () -> {
                    // Graceful deletion: the preStop hands a master over first.
                    d.lab.stopPod(p);
                    d.lab.removePod(p);
                    removed.add(p.name);
                }));
            }
            for (Lab.Pod p : created) {
                parts.add(thread("drill-create-" + p.name, failures, () -> {
                    d.lab.startPod(p, false);
                    added.add(p.name);
                }));
            }
            List<Lab.Pod> roll = new ArrayList<>(kept);
            roll.addAll(created);
            java.util.Collections.reverse(roll);
            return thread("drill-rollout-" + to.statefulSet(), failures, () -> {
                for (Lab.Pod p : roll) {
                    if (created.contains(p)) {
                        // At the update revision already: the roll waits for it to be Ready.
                        if (!SentinelDrill.await(120, () -> d.lab.ready(p))) {
                            failures.add(p.name + " (new) not ready within 120 s: " + d.state());
                            return;
                        }
                        continue;
                    }
                    String failure = d.replace(p, to, handOver);
                    if (failure != null) {
                        failures.add(failure);
                        return;
                    }
                    replaced.add(p.name);
                }
                for (Thread t : parts) {
                    t.join(TimeUnit.MINUTES.toMillis(5));
                }
            });
        }

        static Thread thread(String name, List<String> failures, StatefulSetController.Step step) {
            return StatefulSetController.thread(name, name, failures, step);
        }

        static List<Lab.Pod> reversed(List<Lab.Pod> pods) {
            List<Lab.Pod> r = new ArrayList<>(pods);
            java.util.Collections.reverse(r);
            return r;
        }
    }
}
