package dev.redisgen.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the controllers do with a workload's pods when the new version is applied: which pods start, stop or
 * restart, and in which order. StatefulSet: a rolling update replaces pods one at a time from the highest ordinal
 * down, each after the one before is Running and Ready (whatever the podManagementPolicy, which governs only
 * scaling); scaling creates or deletes pods at the top ordinals, all at once with Parallel, one at a time with
 * OrderedReady. Deployment: RollingUpdate by maxSurge and maxUnavailable (25% each by default), Recreate stops
 * every pod before starting new ones.
 */
final class Rollouts {
    private Rollouts() {
    }

    /**
     * @param restarts the pods that restart with a new template, in order
     * @param summary  what happens, for people
     */
    record Rollout(List<String> restarts, String summary) {
        Rollout {
            restarts = List.copyOf(restarts);
        }

        boolean restartsPods() {
            return !restarts.isEmpty();
        }
    }

    /** The rollout of a workload that changed ({@code before} and {@code after} normalised), or null for another kind. */
    static Rollout of(Manifest before, Manifest after, List<Trees.Change> changes) {
        boolean template = changes.stream().anyMatch(c -> c.under("spec", "template"));
        int from = ApplyRules.replicas(before);
        int to = ApplyRules.replicas(after);
        String name = after.name();
        JsonNode spec = after.tree().path("spec");
        List<String> parts = new ArrayList<>();
        List<String> restarts = new ArrayList<>();
        if (after.kind().equals("StatefulSet")) {
            boolean parallel = "Parallel".equals(spec.path("podManagementPolicy").asText());
            String pace = parallel ? "together (podManagementPolicy Parallel)" : "one at a time, each after the one before is Ready";
            if (to > from) {
                parts.add("creates " + range(name, from, to - 1) + " " + pace);
            } else if (to < from) {
                parts.add("deletes " + range(name, from - 1, to) + " " + (parallel ? "together" : "one at a time") + ", highest ordinal first");
            }
            if (template) {
                JsonNode strategy = spec.path("updateStrategy");
                if ("OnDelete".equals(strategy.path("type").asText())) {
                    parts.add("keeps the old pod template until each pod is deleted by hand (updateStrategy OnDelete)");
                } else {
                    int partition = strategy.path("rollingUpdate").path("partition").asInt(0);
                    for (int i = Math.min(from, to) - 1; i >= partition; i--) {
                        restarts.add(name + "-" + i);
                    }
                    if (!restarts.isEmpty()) {
                        parts.add("restarts " + String.join(", ", restarts) + " one at a time, highest ordinal first, each after the "
                                + "one before is Running and Ready");
                    }
                }
            }
        } else if (after.kind().equals("Deployment")) {
            if (to != from) {
                parts.add("scales from " + from + " to " + to + (to == 1 ? " pod" : " pods"));
            }
            if (template) {
                JsonNode strategy = spec.path("strategy");
                int pods = Math.min(from, to);
                for (int i = 0; i < pods; i++) {
                    restarts.add(name + " pod " + (i + 1) + " of " + pods);
                }
                if ("Recreate".equals(strategy.path("type").asText())) {
                    parts.add("stops " + (pods == 1 ? "its pod" : "its " + pods + " pods") + ", then starts "
                            + (pods == 1 ? "a new one" : "new ones") + " (strategy Recreate): nothing serves in between");
                } else {
                    String surge = strategy.path("rollingUpdate").path("maxSurge").asText("25%");
                    String unavailable = strategy.path("rollingUpdate").path("maxUnavailable").asText("25%");
                    parts.add("replaces its " + (pods == 1 ? "pod" : pods + " pods") + " by a rolling update (maxSurge " + surge
                            + ", maxUnavailable " + unavailable + ")" + ("0".equals(unavailable)
                            ? ": each new pod is Ready before an old one stops" : ""));
                }
            }
        } else {
            return null;
        }
        return new Rollout(restarts, parts.isEmpty() ? "no pod restarts" : String.join("; ", parts));
    }

    /** "redis-3 and redis-4", "redis-4, redis-3 and redis-2", counting up or down. */
    static String range(String name, int first, int last) {
        List<String> pods = new ArrayList<>();
        int step = first <= last ? 1 : -1;
        for (int i = first; step > 0 ? i <= last : i >= last; i += step) {
            pods.add(name + "-" + i);
        }
        if (pods.size() == 1) {
            return pods.get(0);
        }
        return String.join(", ", pods.subList(0, pods.size() - 1)) + " and " + pods.get(pods.size() - 1);
    }
}
