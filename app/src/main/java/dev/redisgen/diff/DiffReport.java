package dev.redisgen.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redisgen.emit.PrettyJson;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of {@link Differ#compare}: per object and per changed setting, as text for people ({@link #text}) and
 * JSON for pipelines ({@link #json}), and the exit code.
 */
public record DiffReport(String from, List<ObjectResult> objects, List<Verdicts.SettingChange> changes,
                         Map<String, String> rollouts) {
    static final String ADDED = "added";
    static final String REMOVED = "removed";
    static final String CHANGED = "changed";
    static final String UNCHANGED = "unchanged";
    /** Fields listed per object in the text; the rest are counted (JSON lists them all). */
    private static final int FIELDS_SHOWN = 12;

    /**
     * @param rollouts per Redis deployment with changes, what its pods go through, one step a line
     */
    public DiffReport {
        objects = List.copyOf(objects);
        changes = List.copyOf(changes);
        rollouts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rollouts));
    }

    /**
     * One object: its status, the fields that differ, the rollout of a workload, what the API server refuses, and
     * caveats of an apply that succeeds.
     */
    public record ObjectResult(Manifest object, String status, List<Trees.Change> fields, Rollouts.Rollout rollout,
                               List<ApplyRules.Refusal> refusals, List<String> notes) {
        public ObjectResult {
            fields = List.copyOf(fields);
            refusals = List.copyOf(refusals);
            notes = List.copyOf(notes);
        }

        public String id() {
            return object.id();
        }

        public boolean refused() {
            return !refusals.isEmpty();
        }

        /** The refusals for people: the object, the fields, the rule, then the procedure, one line each. */
        public List<String> refusalText() {
            List<String> out = new ArrayList<>();
            for (ApplyRules.Refusal r : refusals) {
                out.add(id() + ": " + r.reason() + " (" + String.join("; ", r.fields()) + ")");
                out.addAll(r.procedure());
            }
            return out;
        }
    }

    /** 0 nothing changes, 1 changes that apply as they are, 2 a change the API server refuses or that is unsafe as is. */
    public int exitCode() {
        if (objects.stream().anyMatch(ObjectResult::refused) || changes.stream().anyMatch(c -> c.verdict().equals(Verdicts.UNSAFE))) {
            return 2;
        }
        return objects.stream().allMatch(o -> o.status().equals(UNCHANGED)) ? 0 : 1;
    }

    private long count(String status) {
        return objects.stream().filter(o -> o.status().equals(status)).count();
    }

    private String summary() {
        long refused = objects.stream().filter(ObjectResult::refused).count();
        long unsafe = changes.stream().filter(c -> c.verdict().equals(Verdicts.UNSAFE)).count();
        return count(CHANGED) + " changed, " + count(ADDED) + " added, " + count(REMOVED) + " removed, " + count(UNCHANGED)
                + " unchanged" + (refused > 0 ? "; " + refused + (refused == 1 ? " object" : " objects") + " the API server refuses to update"
                : "") + (unsafe > 0 ? "; " + unsafe + " unsafe " + (unsafe == 1 ? "change" : "changes") : "");
    }

    /** The report for people. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("Compared with ").append(from).append(": ").append(summary()).append('\n');
        if (exitCode() == 0) {
            out.append("Nothing changes.\n");
            return out.toString();
        }
        Set<String> deployments = new LinkedHashSet<>();
        changes.forEach(c -> deployments.add(c.deployment()));
        for (String d : deployments) {
            out.append("\nCHANGES of deployment ").append(d).append('\n');
            for (String step : rollouts.getOrDefault(d, "").split("\n")) {
                if (!step.isEmpty()) {
                    out.append("  rollout: ").append(step).append('\n');
                }
            }
            for (Verdicts.SettingChange c : changes) {
                if (c.deployment().equals(d)) {
                    out.append("  ").append(c.line()).append('\n');
                }
            }
        }
        out.append("\nOBJECTS\n");
        List<String> unchanged = new ArrayList<>();
        for (ObjectResult o : objects) {
            switch (o.status()) {
                case UNCHANGED -> unchanged.add(o.id());
                case ADDED -> out.append("  added      ").append(o.id()).append('\n');
                case REMOVED -> out.append("  removed    ").append(o.id()).append("   (kubectl apply leaves it in place: kubectl delete ")
                        .append(o.object().kind().toLowerCase(java.util.Locale.ROOT)).append(' ').append(o.object().name())
                        .append(o.object().namespace() == null ? "" : " -n " + o.object().namespace()).append(", or apply with --prune)\n");
                default -> changed(o, out);
            }
        }
        if (!unchanged.isEmpty()) {
            out.append("  unchanged  ").append(String.join(", ", unchanged)).append('\n');
        }
        return out.toString();
    }

    private static void changed(ObjectResult o, StringBuilder out) {
        out.append("  changed    ").append(o.id()).append('\n');
        int shown = 0;
        for (Trees.Change c : o.fields()) {
            for (String line : fieldLines(c)) {
                if (shown++ < FIELDS_SHOWN) {
                    out.append("               ").append(line).append('\n');
                }
            }
        }
        if (shown > FIELDS_SHOWN) {
            out.append("               ... and ").append(shown - FIELDS_SHOWN).append(" more (--patch shows every line)\n");
        }
        if (o.rollout() != null) {
            out.append("             pods: ").append(o.rollout().summary()).append('\n');
        }
        for (String note : o.notes()) {
            out.append("             note: ").append(note).append('\n');
        }
        for (ApplyRules.Refusal r : o.refusals()) {
            out.append("             REFUSED by the API server: ").append(r.reason()).append('\n');
            for (String f : r.fields()) {
                out.append("               ").append(f).append('\n');
            }
            out.append("             procedure:\n");
            for (String step : r.procedure()) {
                out.append("               ").append(step).append('\n');
            }
        }
    }

    /** A field change for people; a changed config file as the settings that differ in it. */
    static List<String> fieldLines(Trees.Change c) {
        boolean text = c.before().isTextual() && c.after().isTextual();
        if (text && (c.before().asText().contains("\n") || c.after().asText().contains("\n"))) {
            Map<String, String> a = Shape.conf(c.before().asText());
            Map<String, String> b = Shape.conf(c.after().asText());
            List<String> out = new ArrayList<>();
            if (c.path().endsWith(".conf]")) {
                Set<String> keys = new LinkedHashSet<>(a.keySet());
                keys.addAll(b.keySet());
                for (String k : keys) {
                    if (!String.valueOf(a.get(k)).equals(String.valueOf(b.get(k)))) {
                        out.add(c.path() + " " + k + ": " + (a.containsKey(k) ? a.get(k) : "(none)") + " → "
                                + (b.containsKey(k) ? b.get(k) : "(none)"));
                    }
                }
            }
            if (out.isEmpty()) {
                List<String> la = List.of(c.before().asText().split("\n"));
                List<String> lb = List.of(c.after().asText().split("\n"));
                long removed = la.stream().filter(l -> !lb.contains(l)).count();
                long added = lb.stream().filter(l -> !la.contains(l)).count();
                out.add(c.path() + ": " + removed + " lines removed, " + added + " added");
            }
            return out;
        }
        return List.of(c.path() + ": " + Trees.show(c.before()) + " → " + Trees.show(c.after()));
    }

    /** The report for pipelines: stable field names (README "diff"), keys in a fixed order, values as in the objects. */
    public String json() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("from", from);
        root.put("exitCode", exitCode());
        ObjectNode summary = root.putObject("summary");
        for (String s : List.of(ADDED, REMOVED, CHANGED, UNCHANGED)) {
            summary.put(s, count(s));
        }
        summary.put("refused", objects.stream().filter(ObjectResult::refused).count());
        summary.put("unsafe", changes.stream().filter(c -> c.verdict().equals(Verdicts.UNSAFE)).count());
        ObjectNode deployments = root.putObject("rollouts");
        rollouts.forEach((d, steps) -> deployments.set(d, strings(steps.isEmpty() ? List.of() : List.of(steps.split("\n")))));
        ArrayNode settings = root.putArray("changes");
        for (Verdicts.SettingChange c : changes) {
            ObjectNode n = settings.addObject();
            n.put("deployment", c.deployment());
            n.put("setting", c.setting());
            n.put("before", c.before());
            n.put("after", c.after());
            n.put("effect", c.effect());
            n.put("verdict", c.verdict());
            n.put("reason", c.reason());
            n.put("line", c.line());
        }
        ArrayNode list = root.putArray("objects");
        for (ObjectResult o : objects) {
            ObjectNode n = list.addObject();
            n.put("object", o.id());
            n.put("kind", o.object().kind());
            n.put("namespace", o.object().namespace());
            n.put("name", o.object().name());
            n.put("status", o.status());
            ArrayNode fields = n.putArray("fields");
            for (Trees.Change c : o.fields()) {
                ObjectNode fc = fields.addObject();
                fc.put("path", c.path());
                fc.set("before", c.before().isMissingNode() ? f.nullNode() : c.before());
                fc.set("after", c.after().isMissingNode() ? f.nullNode() : c.after());
            }
            if (o.rollout() == null) {
                n.putNull("rollout");
            } else {
                ObjectNode r = n.putObject("rollout");
                r.put("summary", o.rollout().summary());
                r.set("restarts", strings(o.rollout().restarts()));
            }
            n.put("refused", o.refused());
            ArrayNode refusals = n.putArray("refusals");
            for (ApplyRules.Refusal r : o.refusals()) {
                ObjectNode rn = refusals.addObject();
                rn.set("fields", strings(r.fields()));
                rn.put("reason", r.reason());
                rn.set("procedure", strings(r.procedure()));
            }
            n.set("notes", strings(o.notes()));
        }
        return PrettyJson.write(root, "the diff");
    }

    private static JsonNode strings(List<String> items) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        items.forEach(a::add);
        return a;
    }
}
