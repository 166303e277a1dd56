package dev.redisgen.drill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The drill without root: the whole drill runs again inside a user namespace in which the invoking
 * user is root (unshare --user --map-root-user), with its own network, mount and PID namespaces. In
 * there it creates the pods' network namespaces, veths and bridge, and mounts their volumes, exactly
 * as it does as real root; nothing of it is visible to the rest of the machine. Only the invoking
 * user's uid is mapped (no /etc/subuid range, no setuid newuidmap), so the pods run as that user,
 * not as the pod spec's runAsUser: the report says so.
 */
final class Userns {
    /** Set (to the invoking user's uid) for the drill that runs inside the user namespace. */
    static final String MARKER = "REDISGEN_DRILL_USERNS";

    private Userns() {
    }

    /** True for the drill running inside the user namespace it made for itself. */
    static boolean inside() {
        return System.getenv(MARKER) != null;
    }

    /** The effective uid of this process, from /proc/self/status (-1 when unknown). */
    static long euid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The namespaces of {@link #command}, tried once; null when they work, otherwise why not. */
    static String unavailable() {
        Sh.Result r = Sh.run(Duration.ofSeconds(15), "unshare", "--user", "--map-root-user", "--mount", "--net", "--pid",
                "--fork", "--mount-proc", "sh", "-c", "ip link add rgdprobe type bridge && ip link del rgdprobe");
        if (r.code() == 0) {
            return null;
        }
        return "not root, and an unprivileged user namespace is not available here (unshare --user --map-root-user"
               + " --net --pid --mount: " + firstLine(r.err()) + "); run as root, or allow unprivileged user namespaces"
               + " (sysctl user.max_user_namespaces > 0; kernel.unprivileged_userns_clone=1 on Debian kernels;"
               + " kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu)";
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return t.isEmpty() ? "failed" : nl < 0 ? t : t.substring(0, nl);
    }

    /**
     * The command that runs the drill again inside fresh user, mount, network and PID namespaces. The
     * inner drill is PID 1 of its PID namespace, so every pod process dies with it; /run gets a private
     * tmpfs for {@code ip netns} (the host's /run/netns belongs to root).
     */
    static List<String> command(DrillOptions o, Path report) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--mount", "--net", "--pid",
                "--fork", "--kill-child", "--mount-proc", "sh", "-c",
                "mount -t tmpfs -o mode=0755 redisgen-run /run && ip link set lo up && exec \"$@\"", "sh",
                java, "-cp", System.getProperty("java.class.path")));
        cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        if (Boolean.getBoolean("redisgen.drill.keep")) {
            cmd.add("-Dredisgen.drill.keep=true");
        }
        cmd.addAll(List.of(Drill.class.getName(), "--inner", report.toString(), o.profile(),
                o.scenarios().stream().map(Scenario::id).collect(Collectors.joining(",")), Integer.toString(o.rounds()),
                o.busybox() ? "busybox" : "sh"));
        cmd.add(o.workDir() != null ? o.workDir().toAbsolutePath().toString() : "");
        cmd.add(o.seed() != null ? Long.toString(o.seed()) : "");
        cmd.add(o.upgradeTo() != null ? o.upgradeTo() : "");
        return cmd;
    }

    /** Runs the drill inside the user namespace and returns its report; progress lines go to o.log. */
    static DrillReport run(DrillOptions o, String shell) {
        Path report = null;
        Process p = null;
        Thread hook = null;
        Deque<String> tail = new ArrayDeque<>();
        try {
            report = Files.createTempFile("redisgen-drill-report-", ".json");
            // Also on Ctrl-C: the JVM deletes it after the hook below has stopped the inner drill.
            report.toFile().deleteOnExit();
            ProcessBuilder pb = new ProcessBuilder(command(o, report));
            pb.environment().put(MARKER, Long.toString(euid()));
            pb.redirectErrorStream(true);
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            p = pb.start();
            Process started = p;
            hook = new Thread(() -> stop(started), "drill-userns-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (o.log() != null) {
                        o.log().accept(line);
                    }
                    tail.addLast(line);
                    if (tail.size() > 10) {
                        tail.removeFirst();
                    }
                }
            }
            int code = p.waitFor();
            String json = Files.readString(report, StandardCharsets.UTF_8);
            if (json.isBlank()) {
                return new DrillReport(o.profile(), shell, List.of(), List.of(), List.of(),
                        "the drill in its user namespace exited " + code + " without a report: " + String.join(" | ", tail));
            }
            return DrillReport.fromJson(json);
        } catch (IOException | RuntimeException e) {
            return new DrillReport(o.profile(), shell, List.of(), List.of(), List.of(),
                    "the drill in its user namespace failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(p);
            return new DrillReport(o.profile(), shell, List.of(), List.of(), List.of(), "interrupted");
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down: the hook stops the inner drill
                }
            }
            if (report != null) {
                try {
                    Files.deleteIfExists(report);
                } catch (IOException ignored) {
                    // a temp file left behind harms nothing
                }
            }
        }
    }

    /**
     * Stops the inner drill the way a user's Ctrl-C would: SIGTERM, so its own cleanup runs (pods
     * stopped, directories removed), then SIGKILL of unshare, which takes the whole PID namespace.
     */
    private static void stop(Process p) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.toHandle().children().forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
