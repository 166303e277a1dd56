package dev.redisgen.drill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a drill found: one result per scenario round, what it did not cover and why, and — when the
 * machine cannot run it — what is missing.
 *
 * @param unavailable null when the drill ran; otherwise what is missing (binaries, root, namespaces)
 */
public record DrillReport(String profile, String shell, List<ScenarioResult> results, List<String> notCovered,
                          List<String> notes, String unavailable) {
    public DrillReport {
        results = List.copyOf(results);
        notCovered = List.copyOf(notCovered);
        notes = List.copyOf(notes);
    }

    public boolean passed() {
        return unavailable == null && !results.isEmpty() && results.stream().allMatch(ScenarioResult::passed);
    }

    /** 0 when every target was met, 1 otherwise (a missed target, or the drill could not run). */
    public int exitCode() {
        return passed() ? 0 : 1;
    }

    /** A table for people. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append("drill ").append(profile).append(" (pod scripts under ").append(shell).append(")\n");
        if (unavailable != null) {
            b.append("cannot run: ").append(unavailable).append('\n');
            return b.toString();
        }
        String fmt = "%-14s %-17s %5s %9s %8s %7s %7s %6s %10s %8s %6s %10s %7s %10s  %s%n";
        b.append(String.format(Locale.ROOT, fmt, "deployment", "scenario", "round", "failover", "gap", "target", "writes",
                "conf", "lost-conf", "lost-ack", "2xmst", "proxy-gap", "p-lost", "pinned", "result"));
        for (ScenarioResult r : results) {
            ScenarioResult.Client p = r.proxy();
            ScenarioResult.Client l = r.pinned();
            b.append(String.format(Locale.ROOT, fmt, r.deployment(), r.scenario().id(), r.round(),
                    r.failoverSeconds() == null ? "-" : String.format(Locale.ROOT, "%.2fs", r.failoverSeconds()),
                    r.longestGapSeconds() == null ? "-" : String.format(Locale.ROOT, "%.2fs", r.longestGapSeconds()),
                    String.format(Locale.ROOT, "%.0fs", r.targetSeconds()), r.writesAcknowledged(), r.writesConfirmed(),
                    r.lostConfirmed(), r.lostAcknowledgedOnly(), r.doubleMasterMoments(),
                    p == null || p.longestGapSeconds() == null ? "-" : String.format(Locale.ROOT, "%.2fs", p.longestGapSeconds()),
                    p == null ? "-" : p.lostConfirmed() + "/" + p.lostAcknowledgedOnly(),
                    l == null ? "-" : l.lostConfirmed() + "/" + l.lostAcknowledgedOnly(),
                    (r.passed() ? "PASS" : "FAIL") + (r.note().isEmpty() ? "" : "  " + r.note())));
        }
        b.append("gap: the longest time from the fault on in which the Sentinel-aware client got no write acknowledged\n");
        if (results.stream().anyMatch(r -> r.proxy() != null)) {
            b.append("proxy-gap: the longest time from the fault on in which no write through the HAProxy write endpoint was"
                     + " acknowledged; p-lost: its WAIT-confirmed/acknowledged-only writes lost\n");
        }
        if (results.stream().anyMatch(r -> r.pinned() != null)) {
            b.append("pinned: WAIT-confirmed/acknowledged-only writes lost by a Sentinel-aware client with long timeouts that"
                     + " keeps one master connection while it works\n");
        }
        for (String n : notCovered) {
            b.append("not covered: ").append(n).append('\n');
        }
        for (String n : notes) {
            b.append("note: ").append(n).append('\n');
        }
        b.append(passed() ? "all targets met\n" : "TARGET MISSED\n");
        return b.toString();
    }

    /** The report back from {@link #toJson} (failover seconds to the millisecond, as printed). */
    public static DrillReport fromJson(String json) throws JsonProcessingException {
        JsonNode root = new ObjectMapper().readTree(json);
        List<ScenarioResult> results = new ArrayList<>();
        for (JsonNode r : root.path("results")) {
            results.add(new ScenarioResult(r.path("deployment").asText(), Scenario.parse(r.path("scenario").asText()),
                    r.path("round").asInt(), r.path("failoverSeconds").isNull() ? null : r.path("failoverSeconds").asDouble(),
                    r.path("targetSeconds").asDouble(), r.path("writesAcknowledged").asLong(),
                    r.path("writesConfirmed").asLong(), r.path("lostConfirmed").asLong(),
                    r.path("lostAcknowledgedOnly").asLong(), r.path("doubleMasterMoments").asInt(),
                    r.path("settled").asBoolean(), r.path("passed").asBoolean(), r.path("note").asText(),
                    r.path("longestGapSeconds").isNumber() ? r.path("longestGapSeconds").asDouble() : null,
                    clientFromJson(r.path("proxy")), clientFromJson(r.path("pinned"))));
        }
        return new DrillReport(root.path("profile").asText(), root.path("shell").asText(), results,
                strings(root.path("notCovered")), strings(root.path("notes")),
                root.hasNonNull("unavailable") ? root.path("unavailable").asText() : null);
    }

    private static ScenarioResult.Client clientFromJson(JsonNode p) {
        if (!p.isObject()) {
            return null;
        }
        return new ScenarioResult.Client(p.path("longestGapSeconds").isNull() ? null : p.path("longestGapSeconds").asDouble(),
                p.path("writesAcknowledged").asLong(), p.path("lostConfirmed").asLong(), p.path("lostAcknowledgedOnly").asLong(),
                p.path("readonlyErrors").asLong());
    }

    private static Double millis(Double seconds) {
        return seconds == null ? null : Math.round(seconds * 1000) / 1000.0;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void putClient(ObjectNode o, String field, ScenarioResult.Client c) {
        if (c == null) {
            o.putNull(field);
            return;
        }
        ObjectNode p = o.putObject(field);
        p.put("longestGapSeconds", millis(c.longestGapSeconds()));
        p.put("writesAcknowledged", c.writesAcknowledged());
        p.put("lostConfirmed", c.lostConfirmed());
        p.put("lostAcknowledgedOnly", c.lostAcknowledgedOnly());
        p.put("readonlyErrors", c.readonlyErrors());
    }

    /** JSON for machines; fields in a fixed order. */
    public String toJson() {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("profile", profile);
        root.put("shell", shell);
        root.put("passed", passed());
        root.put("exitCode", exitCode());
        if (unavailable != null) {
            root.put("unavailable", unavailable);
        }
        ArrayNode rs = root.putArray("results");
        for (ScenarioResult r : results) {
            ObjectNode o = rs.addObject();
            o.put("deployment", r.deployment());
            o.put("scenario", r.scenario().id());
            o.put("round", r.round());
            o.put("failoverSeconds", millis(r.failoverSeconds()));
            o.put("targetSeconds", r.targetSeconds());
            o.put("writesAcknowledged", r.writesAcknowledged());
            o.put("writesConfirmed", r.writesConfirmed());
            o.put("lostConfirmed", r.lostConfirmed());
            o.put("lostAcknowledgedOnly", r.lostAcknowledgedOnly());
            o.put("doubleMasterMoments", r.doubleMasterMoments());
            o.put("settled", r.settled());
            o.put("passed", r.passed());
            o.put("note", r.note());
            o.put("longestGapSeconds", millis(r.longestGapSeconds()));
            putClient(o, "proxy", r.proxy());
            putClient(o, "pinned", r.pinned());
        }
        ArrayNode nc = root.putArray("notCovered");
        notCovered.forEach(nc::add);
        ArrayNode ns = root.putArray("notes");
        notes.forEach(ns::add);
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
