package dev.redisgen.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the objects applied before with the objects a profile renders now: per object added, removed, changed
 * or unchanged, with the fields that differ, the pods that restart and in which order, the changes the API server
 * refuses with their procedure; per Redis deployment the settings that change, each with how it takes effect and
 * an HA verdict.
 */
public final class Differ {
    private Differ() {
    }

    /**
     * @param before the previous objects (normalised here), in their order
     * @param after  the rendered objects, in apply order
     */
    public static DiffReport compare(String from, List<Manifest> before, List<Manifest> after) {
        Map<String, Manifest> old = new LinkedHashMap<>();
        before.forEach(m -> old.putIfAbsent(m.id(), normalized(m)));
        Map<String, Manifest> now = new LinkedHashMap<>();
        after.forEach(m -> now.putIfAbsent(m.id(), normalized(m)));
        List<DiffReport.ObjectResult> objects = new ArrayList<>();
        Map<String, Rollouts.Rollout> rollouts = new LinkedHashMap<>();
        Set<String> refused = new LinkedHashSet<>();
        for (Manifest b : now.values()) {
            Manifest a = old.get(b.id());
            if (a == null) {
                objects.add(new DiffReport.ObjectResult(b, DiffReport.ADDED, List.of(), null, List.of(), List.of()));
                continue;
            }
            List<Trees.Change> changes = Trees.changes(a.tree(), b.tree());
            if (changes.isEmpty()) {
                objects.add(new DiffReport.ObjectResult(b, DiffReport.UNCHANGED, List.of(), null, List.of(), List.of()));
                continue;
            }
            ApplyRules.Outcome outcome = ApplyRules.judge(a, b, changes);
            Rollouts.Rollout rollout = b.isWorkload() ? Rollouts.of(a, b, changes) : null;
            if (rollout != null) {
                rollouts.put(b.id(), rollout);
            }
            if (!outcome.refusals().isEmpty()) {
                refused.add(b.id());
            }
            objects.add(new DiffReport.ObjectResult(b, DiffReport.CHANGED, changes, rollout, outcome.refusals(), outcome.notes()));
        }
        for (Manifest a : old.values()) {
            if (!now.containsKey(a.id())) {
                objects.add(new DiffReport.ObjectResult(a, DiffReport.REMOVED, List.of(), null, List.of(), List.of()));
            }
        }
        List<Verdicts.SettingChange> changes = new ArrayList<>();
        Map<String, String> deploymentRollouts = new LinkedHashMap<>();
        Set<String> instances = new LinkedHashSet<>();
        for (Manifest m : now.values()) {
            if (m.isWorkload() && "redis".equals(m.label("component")) && m.label("instance") != null) {
                instances.add(m.label("instance"));
            }
        }
        List<Manifest> oldList = List.copyOf(old.values());
        List<Manifest> newList = List.copyOf(now.values());
        for (String instance : instances) {
            Shape was = Shape.read(instance, oldList);
            Shape is = Shape.read(instance, newList);
            if (was != null && is != null) {
                List<Verdicts.SettingChange> these = Verdicts.of(was, is, rollouts, refused);
                changes.addAll(these);
                if (!these.isEmpty()) {
                    deploymentRollouts.put(instance, Verdicts.roll(is, rollouts).detail());
                }
            }
        }
        return new DiffReport(from, objects, changes, deploymentRollouts);
    }

    /** The changed objects whose update the API server refuses (render --output-dir's check of its earlier output). */
    public static List<DiffReport.ObjectResult> refusals(List<Manifest> before, List<Manifest> after) {
        return compare("", before, after).objects().stream().filter(o -> !o.refusals().isEmpty()).toList();
    }

    private static Manifest normalized(Manifest m) {
        return new Manifest(m.kind(), m.namespace(), m.name(), Trees.normalize(m.tree()), m.origin());
    }
}
