package dev.redisgen.drill;

import dev.redisgen.drill.Topology.PodTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What the StatefulSet controller does with the lab's Redis pods when a changed StatefulSet is applied
 * (podManagementPolicy Parallel, updateStrategy RollingUpdate, the defaults maxUnavailable 1 and partition 0):
 *
 * <ul>
 *   <li>the ConfigMaps the pods mount change in every pod at once (the kubelet's sync);</li>
 *   <li>replicas grew: the new ordinals are created at once, each with a network namespace, address, DNS name and
 *       volumes of its own ({@link Lab#addPod}); a claim left by an earlier pod of that name comes back with it;</li>
 *   <li>replicas shrank: the highest ordinals are deleted at once, gracefully (preStop, SIGTERM, the grace period),
 *       their names leave the DNS, their claims stay ({@link Lab#removePod});</li>
 *   <li>the pod template changed: the other pods are replaced from the highest ordinal down, each only once every
 *       pod above it is Ready (its rendered readiness probes pass), a master handing over in its preStop. Pods whose
 *       template did not change are left running.</li>
 * </ul>
 *
 * <p>The scale and the roll run at the same time, as they do in the controller: a deleted ordinal does not hold the
 * roll back; a new one does until it is Ready.
 */
final class StatefulSetController {
    private final Lab lab;
    /** How long one pod may take to become Ready before the roll gives up (the controller would wait forever). */
    private final Duration readyBound;

    StatefulSetController(Lab lab, Duration readyBound) {
        this.lab = lab;
        this.readyBound = readyBound;
    }

    /** What one apply did. */
    record Change(List<String> added, List<String> removed, List<String> replaced, double seconds) {
        String describe() {
            return String.format(Locale.ROOT, "StatefulSet applied in %.1f s: %s added, %s removed, %s replaced (highest ordinal first)",
                    seconds, added.isEmpty() ? "none" : String.join(" ", added), removed.isEmpty() ? "none" : String.join(" ", removed),
                    replaced.isEmpty() ? "none" : String.join(" ", replaced));
        }
    }

    /** kubectl apply of the StatefulSet rendered as TO, until every pod runs TO and is Ready; throws on what failed. */
    Change apply(PodTemplate to) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<Lab.Pod> before = byOrdinal(lab.redisPods);
        for (Lab.Pod p : before) {
            lab.updateConfigMaps(p, to);
        }
        List<Lab.Pod> condemned = before.stream().filter(p -> p.ordinal >= to.replicas()).toList();
        List<Lab.Pod> kept = before.stream().filter(p -> p.ordinal < to.replicas()).toList();
        List<Lab.Pod> created = new ArrayList<>();
        for (int ordinal = before.size(); ordinal < to.replicas(); ordinal++) {
            created.add(lab.addPod(to, ordinal, lab.redisPods));
        }
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (Lab.Pod p : condemned) {
            threads.add(start("delete-" + p.name, failures, () -> {
                lab.stopPod(p);
                lab.removePod(p);
            }));
        }
        for (Lab.Pod p : created) {
            threads.add(start("create-" + p.name, failures, () -> lab.startPod(p, false)));
        }
        List<String> replaced = Collections.synchronizedList(new ArrayList<>());
        List<Lab.Pod> remaining = new ArrayList<>(kept);
        remaining.addAll(created);
        threads.add(start("roll", failures, () -> roll(byOrdinal(remaining), to, replaced)));
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(15));
        }
        if (!failures.isEmpty()) {
            throw new IOException(String.join("; ", failures));
        }
        return new Change(created.stream().map(p -> p.name).toList(), condemned.stream().map(p -> p.name).toList(), List.copyOf(replaced),
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The rolling update: from the highest ordinal down, wait until the pod is Ready if it runs TO already, else
     * delete it and create it again from TO (new IP, emptyDirs empty, claims kept) and wait until it is Ready.
     */
    private void roll(List<Lab.Pod> pods, PodTemplate to, List<String> replaced) throws IOException, InterruptedException {
        for (int i = pods.size() - 1; i >= 0; i--) {
            Lab.Pod p = pods.get(i);
            if (!sameSpec(p.template, to)) {
                lab.stopPod(p);
                p.template = to;
                lab.startPod(p, true);
                replaced.add(p.name);
            }
            awaitReady(p);
        }
    }

    private void awaitReady(Lab.Pod p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + readyBound.toNanos();
        while (!lab.ready(p)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(p.name + " not Ready within " + readyBound.toSeconds() + " s (its readiness probe)");
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Whether a pod running A needs no replacement for B: the same pod spec and ConfigMap contents (the rendered pod
     * template carries a checksum of its ConfigMaps, so a changed script rolls the pods), whatever the replicas.
     */
    static boolean sameSpec(PodTemplate a, PodTemplate b) {
        return a.statefulSet().equals(b.statefulSet()) && Objects.equals(a.serviceName(), b.serviceName()) && a.init().equals(b.init())
               && a.containers().equals(b.containers()) && a.volumes().equals(b.volumes())
               && a.terminationGraceSeconds() == b.terminationGraceSeconds() && a.uid() == b.uid() && a.gid() == b.gid();
    }

    private static List<Lab.Pod> byOrdinal(List<Lab.Pod> pods) {
        List<Lab.Pod> out = new ArrayList<>(pods);
        out.sort(Comparator.comparingInt(p -> p.ordinal));
        return out;
    }

    /** One controller's work, run in a thread of its own. */
    interface Step {
        void run() throws IOException, InterruptedException;
    }

    private static Thread start(String what, List<String> failures, Step step) {
        return thread("drill-statefulset-" + what, what, failures, step);
    }

    /** STEP started in a thread named THREAD_NAME; a failure (or an interrupt) is added to FAILURES as "WHAT: why". */
    static Thread thread(String threadName, String what, List<String> failures, Step step) {
        Thread t = new Thread(() -> {
            try {
                step.run();
            } catch (IOException | RuntimeException e) {
                failures.add(what + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(what + ": interrupted");
            }
        }, threadName);
        t.start();
        return t;
    }
}
