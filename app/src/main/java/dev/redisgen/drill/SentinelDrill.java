package dev.redisgen.drill;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The drill of one Sentinel deployment: its Redis, Sentinel and proxy pods in a {@link Lab}, booted together, then the
 * scenarios of {@link SentinelFaults}, each round from a settled deployment to a settled deployment with a
 * {@link Writer}, a client pinned to one master connection, a writer through the proxy and an {@link Observer} running.
 *
 * <p>Settled: exactly one Redis pod is master, every other one replicates it with the link up, and every Sentinel is out
 * of TILT, names it, and sees the other Sentinels and every replica as a replica.
 */
final class SentinelDrill {
    /** A deployment that bootstraps slower than this misses the bootstrap target. */
    static final double BOOTSTRAP_TARGET_SECONDS = 60;
    /** The whole-deployment reboot must take writes again within this. */
    static final double REBOOT_TARGET_SECONDS = 60;
    /** The seed's failover bound for jewelry-shop (seed 000). */
    static final double JEWELRY_SHOP_SEED_SECONDS = 30;
    static final double SETTLE_SECONDS = 90;
    /** How long a round waits, once settled, for the write endpoint to carry a write after the failover. */
    static final int PROXY_CATCHUP_SECONDS = 30;

    final Lab lab;
    final DrillOptions o;
    final List<ScenarioResult> results;
    final List<String> notes;
    final Topology.Group g;
    /** The scripts' login (observers, checks); the writers log in as the application (appPassword). */
    final Resp.Login redisPassword;
    final Resp.Login appPassword;
    final Resp.Login sentinelPassword;
    final double failoverTarget;
    /** Every random timing choice of this run (seeded: DrillOptions.seed). */
    final java.util.Random random;
    /** The group scenario upgrade rolls to (null: none), and the one it rolled from. */
    final Topology.Group upgradeTo;
    final Topology.Group upgradeFrom;
    /** The number of the running round (scenario upgrade rolls to upgradeTo in odd rounds, back in even ones). */
    int round;

    SentinelDrill(Lab lab, DrillOptions o, List<ScenarioResult> results, List<String> notes, boolean jewelryShop, java.util.Random random,
        Topology.Group upgradeTo) {
        this.lab = lab;
        this.upgradeTo = upgradeTo;
        this.upgradeFrom = lab.group;
        this.random = random;
        this.o = o;
        this.results = results;
        this.notes = notes;
        this.g = lab.group;
        this.redisPassword = lab.adminLogin(g.redis(), "redis-start.sh");
        this.appPassword = lab.appLogin(g.redis(), "redis-start.sh");
        this.sentinelPassword = Resp.Login.of(lab.password(g.sentinels(), "sentinel-start.sh", "SENTINEL_PASSWORD"));
        // An upgrade that changes down-after is measured against the longer of the two.
        double t = Math.max(g.downAfterMillis(), upgradeTo == null ? 0 : upgradeTo.downAfterMillis()) / 1000.0 + 3;
        this.failoverTarget = jewelryShop ? Math.min(t, JEWELRY_SHOP_SEED_SECONDS) : t;
    }

    void log(String s) {
        if (o.log() != null) {
            o.log().accept(String.format(Locale.ROOT, "[drill %s] %s", g.name(), s));
        }
    }

    void all() throws IOException, InterruptedException {
        // Names what this run creates on the machine, so that a leftover (or a test) can tell it from another drill's.
        log("network namespaces and links of this run: " + lab.namePrefix() + "*");
        // Bootstrap always runs first: every other scenario starts from a settled cluster.
        scenario(Scenario.BOOTSTRAP, 1);
        for (Scenario s : o.scenarios()) {
            if (s == Scenario.BOOTSTRAP || !s.sentinel()) {
                continue;
            }
            for (int round = 1; round <= o.rounds(); round++) {
                scenario(s, round);
            }
        }
    }

    void scenario(Scenario s, int round) throws InterruptedException {
        log("scenario " + s.id() + " round " + round);
        this.round = round;
        SentinelFault fault = SentinelFaults.of(s);
        Writer writer = new Writer(lab, "drill:" + s.id() + ":" + round, appPassword, sentinelPassword);
        Observer observer = new Observer(lab, redisPassword);
        Writer proxyWriter = lab.proxyPods.isEmpty() ? null
                : Writer.viaProxy(lab, "drill-proxy:" + s.id() + ":" + round, appPassword, lab.proxyPods.get(0), g.proxyPort());
        Writer pinned = Writer.pinned(lab, "drill-pinned:" + s.id() + ":" + round, appPassword, sentinelPassword);
        long[] proxyLost = {0, 0};
        long[] pinnedLost = {0, 0};
        long t0 = System.nanoTime();
        long tEnd = t0;
        current = writer;
        List<String> note = new ArrayList<>();
        Double failover = null;
        double target = fault.target(this);
        boolean settled = false;
        long[] lost = {0, 0};
        Map<String, Integer> logOffsets = Timeline.offsets(lab);
        faultWall = java.time.Instant.now();
        try {
            Lab.Pod master = null;
            if (s != Scenario.BOOTSTRAP) {
                master = settle(SETTLE_SECONDS);
                if (master == null) {
                    throw new IOException("cluster not settled before the scenario: " + state());
                }
            }
            writer.start();
            observer.start();
            pinned.start();
            if (proxyWriter != null) {
                proxyWriter.start();
            }
            if (s != Scenario.BOOTSTRAP) {
                Thread.sleep(1500);
            }
            t0 = System.nanoTime();
            faultWall = java.time.Instant.now();
            failover = fault.inject(this, master, t0, note);
            Lab.Pod end = settle(SETTLE_SECONDS);
            settled = end != null;
            if (!settled) {
                note.add("not settled afterwards: " + state());
            }
            if (proxyWriter != null) {
                // HAProxy follows the Sentinels with its own checks, seconds behind them: the round goes on until a
                // write through it is acknowledged after the failover, so that its gap is measured, not cut off by a
                // deployment that settled quickly (found by the drill: dead-master-dns, the round ended 2.7 s after the
                // Sentinels switched, while the proxy's checks of the dead master were still timing out).
                long since = failover == null ? t0 : t0 + (long) (failover * 1e9);
                await(PROXY_CATCHUP_SECONDS, () -> proxyWriter.firstAckAfter(since, null) != null);
            }
            Thread.sleep(1000);
            tEnd = System.nanoTime();
            writer.stop();
            observer.stop();
            pinned.stop();
            if (proxyWriter != null) {
                proxyWriter.stop();
            }
            String finalMaster = end != null ? end.ip : Writer.discover(lab, sentinelPassword);
            if (finalMaster != null) {
                lost = writer.lost(finalMaster);
                pinnedLost = pinned.lost(finalMaster);
                if (proxyWriter != null) {
                    proxyLost = proxyWriter.lost(finalMaster);
                }
            } else {
                note.add("no master to read back from");
            }
        } catch (IOException | RuntimeException e) {
            note.add("error: " + e.getMessage());
            writer.stop();
            observer.stop();
            pinned.stop();
            if (proxyWriter != null) {
                proxyWriter.stop();
            }
        }
        List<Writer.Ack> acks = writer.acks();
        long confirmed = acks.stream().filter(a -> a.confirmed).count();
        if (observer.moments() > 0) {
            note.add("two masters accepted writes: " + String.join(", ", observer.details()));
        }
        ScenarioResult.Client proxy = proxyWriter == null ? null : client(proxyWriter, proxyLost, t0, tEnd);
        if (proxy != null && proxy.longestGapSeconds() == null) {
            note.add("no write went through the proxy after the fault");
        }
        ScenarioResult.Client pinnedResult = client(pinned, pinnedLost, t0, tEnd);
        Double gap = s == Scenario.BOOTSTRAP || tEnd <= t0 ? null : writer.longestGapSeconds(t0, tEnd);
        if (gap != null && failover != null && gap > target) {
            note.add(String.format(Locale.ROOT, "writes stopped for %.2f s at some point after the fault", gap));
        }
        boolean ok = failover != null && failover <= target && (gap == null || gap <= target) && lost[0] == 0
                     && observer.moments() == 0 && settled
                     && (proxy == null || proxy.longestGapSeconds() != null && proxy.lostConfirmed() == 0)
                     && pinnedResult.lostConfirmed() == 0;
        ScenarioResult r = new ScenarioResult(g.name(), s, round, failover, target, acks.size(), confirmed, lost[0], lost[1],
                observer.moments(), settled, ok, String.join("; ", note), gap, proxy, pinnedResult);
        log(String.format(Locale.ROOT, "%s round %d: failover %s s, longest gap %s s, acked %d, confirmed %d, lost confirmed %d,"
                + " lost acked-only %d, double masters %d%s %s %s", s.id(), round, failover, gap, acks.size(), confirmed, lost[0], lost[1],
                observer.moments(), proxy == null ? "" : String.format(Locale.ROOT, "; via proxy: longest gap %s s, acked %d,"
                        + " lost confirmed %d, lost acked-only %d, READONLY %d", proxy.longestGapSeconds(), proxy.writesAcknowledged(),
                        proxy.lostConfirmed(), proxy.lostAcknowledgedOnly(), proxy.readonlyErrors())
                + String.format(Locale.ROOT, "; pinned: acked %d, lost confirmed %d, lost acked-only %d",
                        pinnedResult.writesAcknowledged(), pinnedResult.lostConfirmed(), pinnedResult.lostAcknowledgedOnly()),
                ok ? "PASS" : "FAIL", r.note()));
        if (!ok && !settled) {
            Timeline.tails(lab).forEach(this::log);
        }
        if (!ok) {
            log(timeline(s, round, logOffsets, failover == null ? target + 30 : failover));
        }
        results.add(r);
    }

    static ScenarioResult.Client client(Writer w, long[] lost, long t0, long tEnd) {
        boolean through = w.firstAckAfter(t0, null) != null && tEnd > t0;
        return new ScenarioResult.Client(through ? w.longestGapSeconds(t0, tEnd) : null, w.acks().size(), lost[0], lost[1],
                w.readonlyErrors());
    }

    /** The wall-clock time of the running round's fault (its start until the fault is injected). */
    java.time.Instant faultWall;

    /** What a failed round's timeline shows: the Sentinels' failover events, every line of the pod scripts, the role changes. */
    static final java.util.regex.Pattern TIMELINE = java.util.regex.Pattern.compile(
            "[#*] [+-](sdown|odown|try-failover|vote-for-leader|elected-leader|failover-|selected-slave|promoted-slave|"
            + "slave-reconf|switch-master|config-update-from|convert-to-slave|reset-master|tilt|fix-slave-config)|"
            + Timeline.SCRIPTS_AND_REPLICATION);

    /** The round's story for a round that failed (Timeline.of), until seconds after the fault. */
    String timeline(Scenario s, int round, Map<String, Integer> offsets, double until) {
        return Timeline.of(lab, TIMELINE, Timeline.title(o.profile(), g.name(), s, round), faultWall, offsets, until);
    }

    /**
     * A master pod deleted gracefully (preStop, SIGTERM, the grace period) and recreated once it stopped: the time from
     * t0 to the first write another master acknowledged (scenario master-prestop; the master's turn in a roll).
     */
    Double deleteGracefully(Lab.Pod master, long t0) throws IOException, InterruptedException {
        Thread stop = new Thread(() -> {
            try {
                lab.stopPod(master);
            } catch (IOException | InterruptedException e) {
                log("stop failed: " + e.getMessage());
            }
        });
        stop.start();
        Double f = awaitFailover(t0, master);
        stop.join(TimeUnit.SECONDS.toMillis(master.template.terminationGraceSeconds() + 30L));
        lab.startPod(master, true);
        return f;
    }

    /**
     * One pod replaced as its controller replaces it, running TEMPLATE: the master through its preStop
     * hand-over (the seconds it took go to handOver[0]), any other pod stopped and recreated; then the
     * new pod must be ready within 120 s. Returns why not, or null.
     */
    String replace(Lab.Pod p, Topology.PodTemplate template, Double[] handOver) throws IOException, InterruptedException {
        boolean master = lab.redisPods.contains(p) && "master".equals(info(p).get("role"));
        p.template = template;
        if (master) {
            handOver[0] = deleteGracefully(p, System.nanoTime());
        } else {
            lab.stopPod(p);
            lab.startPod(p, true);
        }
        return await(120, () -> lab.ready(p)) ? null : p.name + " not ready within 120 s of its recreation: " + state();
    }
    interface PodAction {
        void run(Lab.Pod pod) throws IOException, InterruptedException;
    }

    /** Runs the action on every pod in parallel, like the controllers acting on all pods at once. */
    void eachPodAtOnce(String what, PodAction action) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Lab.Pod p : lab.pods) {
            Thread t = new Thread(() -> {
                try {
                    action.run(p);
                } catch (IOException | InterruptedException e) {
                    log(what + " of " + p.name + " failed: " + e.getMessage());
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(200_000);
        }
    }
    /** A line a Sentinel logged, and the pod of that Sentinel. */
    record SentinelEvent(Lab.Pod pod, String line) {
    }

    /** How far each Sentinel's log has come: events after these offsets are new. */
    Map<String, Integer> sentinelLogOffsets() {
        String sentinel = g.sentinels().container("sentinel-start.sh").orElseThrow().name();
        Map<String, Integer> offsets = new java.util.TreeMap<>();
        for (Lab.Pod p : lab.sentinelPods) {
            offsets.put(p.name, p.logText(sentinel).length());
        }
        return offsets;
    }

    /** Waits (up to down-after + 4 s) for the first Sentinel to log the event after the offsets; null when none did. */
    SentinelEvent awaitSentinelEvent(Map<String, Integer> offsets, String event) throws InterruptedException {
        String sentinel = g.sentinels().container("sentinel-start.sh").orElseThrow().name();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(g.downAfterMillis() + 4000L);
        while (System.nanoTime() < deadline) {
            for (Lab.Pod p : lab.sentinelPods) {
                String log = p.logText(sentinel);
                int from = offsets.getOrDefault(p.name, 0);
                int at = log.length() > from ? log.indexOf(event, from) : -1;
                if (at >= 0) {
                    int end = log.indexOf('\n', at);
                    return new SentinelEvent(p, log.substring(at, end < 0 ? log.length() : end));
                }
            }
            Thread.sleep(20);
        }
        return null;
    }
    // ------------------------------------------------------------ observations

    Writer current;

    Writer.Ack writerAckAfter(long t0, String notIp) {
        return current == null ? null : current.firstAckAfter(t0, notIp);
    }

    /** The time from t0 to the first write a master other than old acknowledged (old null: any master). */
    Double awaitFailover(long t0, Lab.Pod old) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) (failoverTarget * 1000) + 30_000);
        while (System.nanoTime() < deadline) {
            Writer.Ack a = writerAckAfter(t0, old == null ? null : old.ip);
            if (a != null) {
                return (a.nanos - t0) / 1e9;
            }
            Thread.sleep(20);
        }
        return null;
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static boolean await(int seconds, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    Map<String, String> info(Lab.Pod p) {
        Object r = Resp.once(p.ip, g.redisPort(), redisPassword, 500, "INFO", "replication");
        Map<String, String> m = new java.util.TreeMap<>();
        if (r instanceof String s) {
            for (String line : s.split("\r?\n")) {
                int i = line.indexOf(':');
                if (i > 0) {
                    m.put(line.substring(0, i), line.substring(i + 1).strip());
                }
            }
        }
        return m;
    }

    boolean linkedReplica(Lab.Pod p) {
        Map<String, String> i = info(p);
        return "slave".equals(i.get("role")) && "up".equals(i.get("master_link_status"));
    }

    /**
     * Settled: exactly one Redis pod is master, every other one replicates it with the link up,
     * and every Sentinel is out of TILT, names it, sees the other Sentinels and the replicas, as replicas.
     */
    Lab.Pod settledMaster() {
        Lab.Pod master = null;
        for (Lab.Pod p : lab.redisPods) {
            if ("master".equals(info(p).get("role"))) {
                if (master != null) {
                    return null;
                }
                master = p;
            }
        }
        if (master == null) {
            return null;
        }
        for (Lab.Pod p : lab.redisPods) {
            if (p != master) {
                Map<String, String> i = info(p);
                if (!"slave".equals(i.get("role")) || !"up".equals(i.get("master_link_status"))
                    || !master.ip.equals(lab.ipOf(i.getOrDefault("master_host", "")))) {
                    return null;
                }
            }
        }
        for (Lab.Pod s : lab.sentinelPods) {
            // ...and is out of TILT: a Sentinel whose timer stalled for over 2 s (its pod was frozen) acts on
            // nothing for 30 s (Redis's fixed tilt period): it marks nothing down, answers "not down" when another
            // Sentinel asks (it still votes), so the next fault would find no quorum (found by the drill:
            // pod-freeze, then replica-restart, a failover after 18 s). Co-located, every pod-freeze round waits
            // these 30 s before the next one.
            if (!(Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "INFO", "sentinel") instanceof String info)
                || !info.contains("sentinel_tilt:0")) {
                return null;
            }
            Object r = Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "master", g.masterName());
            if (!(r instanceof List<?> l)) {
                return null;
            }
            Map<String, String> f = Resp.fields(l);
            if (!master.ip.equals(lab.ipOf(f.getOrDefault("ip", ""))) || !"master".equals(f.get("flags"))
                || !Integer.toString(lab.sentinelPods.size() - 1).equals(f.get("num-other-sentinels"))) {
                return null;
            }
            // Every Sentinel knows every replica (it learns them from the master's INFO every 10 s):
            // a leader that does not know one never reconfigures it, and the new master waits
            // failover-timeout for it (min-replicas-to-write).
            Object rs = Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "replicas", g.masterName());
            if (!(rs instanceof List<?> replicas)) {
                return null;
            }
            java.util.Set<String> known = new java.util.TreeSet<>();
            for (Object o : replicas) {
                if (o instanceof List<?> kv) {
                    Map<String, String> rf = Resp.fields(kv);
                    // ...and has polled it since its last role change: a Sentinel whose last look at a
                    // replica saw a master (it was one a moment ago) turns it back into a replica the
                    // moment it is promoted again (+convert-to-slave). Steady state means fresh views.
                    if ("slave".equals(rf.get("flags")) && "slave".equals(rf.get("role-reported"))) {
                        known.add(lab.ipOf(rf.getOrDefault("ip", "")));
                    }
                }
            }
            for (Lab.Pod p : lab.redisPods) {
                if (p != master && !known.contains(p.ip)) {
                    return null;
                }
            }
            // ...and reaches every other Sentinel (not one held at an address its pod no longer has).
            if (!(Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "sentinels", g.masterName())
                    instanceof List<?> others) || others.size() != lab.sentinelPods.size() - 1) {
                return null;
            }
            for (Object o : others) {
                if (!(o instanceof List<?> kv) || !Resp.fields(kv).getOrDefault("flags", "").equals("sentinel")) {
                    return null;
                }
            }
        }
        return master;
    }

    Lab.Pod settle(double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            Lab.Pod m = settledMaster();
            if (m != null) {
                return m;
            }
            Thread.sleep(200);
        }
        return null;
    }

    String state() {
        StringBuilder b = new StringBuilder();
        for (Lab.Pod p : lab.redisPods) {
            Map<String, String> i = info(p);
            b.append(p.name).append('=').append(i.getOrDefault("role", "down"));
            if (i.containsKey("master_host")) {
                b.append("(").append(i.get("master_host")).append(' ').append(i.get("master_link_status")).append(')');
            }
            b.append(' ');
        }
        for (Lab.Pod s : lab.sentinelPods) {
            Object r = Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "get-master-addr-by-name", g.masterName());
            b.append("sentinel@").append(s.name).append('=').append(r instanceof List<?> l && !l.isEmpty() ? l.get(0) : "?").append(' ');
        }
        return b.toString().strip();
    }
}
