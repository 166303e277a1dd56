package dev.redisgen.drill;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A failed drill round's story, for the Sentinel and the Cluster drill alike: the lines of every pod's logs since the
 * round began that a drill's filter picks (what Redis, Sentinel and the pod scripts did), in time order, each with its
 * time relative to the fault, from a second before it to two seconds after the round's figure; the first MAX_LINES of
 * them (a CI log shows little more than the failure message).
 */
final class Timeline {
    static final int MAX_LINES = 60;
    /** The pod scripts' own lines ("...Z script[pod]: "), and the role changes and syncs of every Redis topology. */
    static final String SCRIPTS_AND_REPLICATION = "\\d{2}Z [a-z-]+\\[[^]]+\\]: |MASTER MODE enabled|MASTER <-> REPLICA sync: Finished|"
            + "Partial resynchronization (not )?accepted|Full resync|REPLICAOF|Ready to accept connections";
    /** Redis's own time stamp, or a pod script's, after the drill's; and the part of a pod name every pod shares. */
    static final Pattern REDIS_PREFIX = Pattern.compile("^(\\d+:[XCMS] \\d{2} \\w{3} \\d{4} [\\d:.]+ |\\d{4}-\\d{2}-\\d{2}T[\\d:]+Z )");
    static final Pattern SHORT_NAME = Pattern.compile("\\.[a-z0-9-]+\\.[a-z0-9-]+\\.svc\\.cluster\\.local\\.?");

    private Timeline() {
    }

    /** The first words of a failed round's timeline in the drill's log (the drill tests find it by them). */
    static String title(String profile, String deployment, Scenario s, int round) {
        return "timeline of " + profile + " " + deployment + " " + s.id() + " round " + round;
    }

    /** The pods whose logs a timeline reads: LAB's StatefulSet pods, then its Jobs' pods. */
    static List<Lab.Pod> pods(Lab lab) {
        List<Lab.Pod> all = new ArrayList<>(lab.pods);
        all.addAll(lab.jobPods);
        return all;
    }

    /** How far the log of every container of every pod of LAB has come. */
    static Map<String, Integer> offsets(Lab lab) {
        Map<String, Integer> m = new TreeMap<>();
        for (Lab.Pod p : pods(lab)) {
            for (var c : p.template.containers()) {
                m.put(p.name + "/" + c.name(), p.logText(c.name()).length());
            }
        }
        return m;
    }

    /** The last 25 lines of every container's log of LAB's StatefulSet pods (those with a log), one entry each. */
    static List<String> tails(Lab lab) {
        List<String> out = new ArrayList<>();
        for (Lab.Pod p : lab.pods) {
            for (var c : p.template.containers()) {
                String t = p.logText(c.name());
                if (!t.isEmpty()) {
                    out.add("---- " + p.name + "/" + c.name() + " (last lines)\n"
                            + t.lines().skip(Math.max(0, t.lines().count() - 25)).reduce("", (a, b) -> a + b + "\n"));
                }
            }
        }
        return out;
    }

    /**
     * The timeline of LAB's pods since OFFSETS (Timeline.offsets at the round's start) under TITLE: the lines FILTER
     * finds, from a second before the fault at FAULT_WALL to UNTIL + 2 s after it.
     */
    static String of(Lab lab, Pattern filter, String title, Instant faultWall, Map<String, Integer> offsets, double until) {
        LocalTime fault = LocalTime.ofInstant(faultWall, ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        Map<String, String> logs = new LinkedHashMap<>();
        for (Lab.Pod p : pods(lab)) {
            for (var c : p.template.containers()) {
                String text = p.logText(c.name());
                logs.put(p.name + "/" + c.name(), text.substring(Math.min(offsets.getOrDefault(p.name + "/" + c.name(), 0), text.length())));
            }
        }
        List<String> lines = lines(logs, filter, fault, until);
        int n = Math.min(lines.size(), MAX_LINES);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s (s from the fault at %s UTC%s):", title, fault,
                n < lines.size() ? "; the first " + n + " of " + lines.size() + " lines" : ""));
        for (String l : lines.subList(0, n)) {
            b.append('\n').append(l);
        }
        return b.toString();
    }

    /**
     * The timeline lines of LOGS (container, as "pod/container", to the drill's time-stamped log text): those FILTER
     * finds from a second before FAULT to UNTIL + 2 s after it, in time order (a container's own order for equal times),
     * each as "+S.SSS pod/container line" without Redis's or the script's own time stamp and without the namespace part
     * of the headless names.
     */
    static List<String> lines(Map<String, String> logs, Pattern filter, LocalTime fault, double until) {
        record Line(double at, String text) {
        }
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : logs.entrySet()) {
            for (String l : e.getValue().split("\n")) {
                if (l.length() < 13 || !filter.matcher(l).find()) {
                    continue;
                }
                double at;
                try {
                    at = Duration.between(fault, LocalTime.parse(l.substring(0, 12))).toMillis() / 1000.0;
                } catch (DateTimeParseException x) {
                    continue;
                }
                if (at < -43_200) {
                    at += 86_400; // the line after midnight, the fault before it
                } else if (at > 43_200) {
                    at -= 86_400; // the line before midnight, the fault after it
                }
                if (at < -1 || at > until + 2) {
                    continue;
                }
                String rest = SHORT_NAME.matcher(REDIS_PREFIX.matcher(l.substring(13)).replaceFirst("")).replaceAll("");
                lines.add(new Line(at, String.format(Locale.ROOT, "%+8.3f %s %s", at, e.getKey(),
                        rest.length() > 220 ? rest.substring(0, 220) + "..." : rest)));
            }
        }
        lines.sort(Comparator.comparingDouble(Line::at));
        return lines.stream().map(Line::text).toList();
    }
}
