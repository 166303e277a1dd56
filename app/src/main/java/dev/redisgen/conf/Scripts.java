package dev.redisgen.conf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod scripts, kept as real files in {@code redisgen/scripts/} on the classpath: these bytes are
 * what the ConfigMap carries, what the pods run and what the drill executes. Contract: CONTRACT.md.
 */
public final class Scripts {

    /** Classpath folder of the scripts. */
    public static final String RESOURCE_DIR = "redisgen/scripts/";

    /** Every script, sorted (the ConfigMap's key order). */
    private static final List<String> NAMES = List.of(
            "backup.sh",
            "bootstrap.sh",
            "cluster-create.sh",
            "cluster-heal.sh",
            "cluster-liveness.sh",
            "cluster-prestop.sh",
            "cluster-readiness.sh",
            "cluster-restore.sh",
            "cluster-start.sh",
            "common.sh",
            "init.sh",
            "liveness.sh",
            "prestop.sh",
            "readiness.sh",
            "redis-start.sh",
            "sentinel-catchup.sh",
            "sentinel-election.sh",
            "sentinel-notify.sh",
            "sentinel-prestop.sh",
            "sentinel-readiness.sh",
            "sentinel-start.sh",
            "split-brain-guard.sh",
            "standalone-start.sh",
            "tls-reload.sh");

    private Scripts() {
    }

    /** The script file names, sorted. */
    public static List<String> names() {
        return NAMES;
    }

    /** A script name where code (not a comment) runs or names another script: sh "$SCRIPTS_DIR/x.sh", notification-script. */
    private static final java.util.regex.Pattern SCRIPT_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9-]*\\.sh");

    /**
     * ROOTS with every script they need: common.sh (every script sources it) and, transitively, each script named
     * on a line of code of one in the set (comment lines do not count: they name scripts to explain, not to run).
     * Sorted, the ConfigMap's key order.
     */
    public static java.util.SortedSet<String> closure(java.util.Collection<String> roots) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(roots);
        todo.add("common.sh");
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!out.add(name)) {
                continue;
            }
            for (String next : Loaded.RUNS.get(name)) {
                if (!out.contains(next)) {
                    todo.add(next);
                }
            }
        }
        return out;
    }

    /** The other scripts SCRIPT names on its lines of code, in order of appearance. */
    private static List<String> runs(String script) {
        List<String> out = new java.util.ArrayList<>();
        for (String line : Loaded.TEXTS.get(script).split("\n", -1)) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            var m = SCRIPT_NAME.matcher(line);
            while (m.find()) {
                if (NAMES.contains(m.group()) && !m.group().equals(script) && !out.contains(m.group())) {
                    out.add(m.group());
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The text of one script, exactly as in the file (UTF-8). Read once per process: a batch renders the same
     * scripts for every profile, and the same String instances let equal ConfigMap data be recognised at a glance
     * (its YAML text is reused, {@code YamlWriter}).
     */
    public static String load(String fileName) {
        if (!NAMES.contains(fileName)) {
            throw new IllegalArgumentException("unknown script: " + fileName + " (known: " + NAMES + ")");
        }
        return Loaded.TEXTS.get(fileName);
    }

    private static final class Loaded {
        static final Map<String, String> TEXTS = readAll();
        /** Each script's references (closure), found once per process: every render of a batch asks for them. */
        static final Map<String, List<String>> RUNS = references();

        private static Map<String, List<String>> references() {
            Map<String, List<String>> out = new HashMap<>();
            for (String name : NAMES) {
                out.put(name, runs(name));
            }
            return Map.copyOf(out);
        }
    }

    private static Map<String, String> readAll() {
        Map<String, String> texts = new HashMap<>();
        for (String name : NAMES) {
            texts.put(name, read(name));
        }
        return Map.copyOf(texts);
    }

    private static String read(String fileName) {
        try (InputStream in = Scripts.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + fileName)) {
            if (in == null) {
                throw new IllegalStateException("script missing from the classpath: " + RESOURCE_DIR + fileName);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
