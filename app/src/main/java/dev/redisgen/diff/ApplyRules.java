package dev.redisgen.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which changes {@code kubectl apply} cannot make in place, because the API server's update validation refuses them,
 * and the procedure for each, spelled out with this deployment's names. The rules follow Kubernetes' own update
 * validation:
 * <ul>
 *   <li>StatefulSet (apps ValidateStatefulSetUpdate): only replicas, ordinals, template, updateStrategy,
 *       persistentVolumeClaimRetentionPolicy and minReadySeconds may change; volumeClaimTemplates, serviceName,
 *       selector, podManagementPolicy and revisionHistoryLimit may not;</li>
 *   <li>Job (batch ValidateJobSpecUpdate): template, selector, completions, completionMode, podFailurePolicy,
 *       backoffLimitPerIndex, managedBy and successPolicy are immutable (the template's scheduling fields only
 *       change on a suspended Job that never started, which redisgen never renders);</li>
 *   <li>PersistentVolumeClaim (core ValidatePersistentVolumeClaimUpdate): the spec is immutable except
 *       resources.requests.storage of a bound claim, which may grow and never shrink;</li>
 *   <li>Service (core ValidateServiceUpdate): an allocated clusterIP never changes (headless "None" included),
 *       and NodePort or LoadBalancer cannot be headless;</li>
 *   <li>ConfigMap and Secret marked {@code immutable: true}: data, binaryData and the mark itself; a Secret's type;</li>
 *   <li>Deployment: spec.selector (immutable in apps/v1).</li>
 * </ul>
 * Every other kind redisgen renders (Namespace, LimitRange, ResourceQuota, PodDisruptionBudget, NetworkPolicy,
 * CronJob, ServiceMonitor, PrometheusRule) updates in place.
 */
final class ApplyRules {
    /** The StatefulSet spec fields an update may change (the list in the API server's refusal message). */
    static final Set<String> STATEFULSET_MUTABLE = Set.of("replicas", "ordinals", "template", "updateStrategy",
            "persistentVolumeClaimRetentionPolicy", "minReadySeconds");
    /** The Job spec fields an update may not change. */
    static final Set<String> JOB_IMMUTABLE = Set.of("template", "selector", "completions", "completionMode", "podFailurePolicy",
            "backoffLimitPerIndex", "managedBy", "successPolicy");

    private ApplyRules() {
    }

    /**
     * A change the API server refuses.
     *
     * @param fields    the refused fields with their values before and after
     * @param reason    the rule, as the API server states it
     * @param procedure the steps that make the change, one command or step a line
     */
    record Refusal(List<String> fields, String reason, List<String> procedure) {
        Refusal {
            fields = List.copyOf(fields);
            procedure = List.copyOf(procedure);
        }
    }

    /** What an update from {@code before} to {@code after} (normalised trees, same object) runs into. */
    static Outcome judge(Manifest before, Manifest after, List<Trees.Change> changes) {
        return switch (after.kind()) {
            case "StatefulSet" -> statefulSet(before, after, changes);
            case "Job" -> job(after, changes);
            case "PersistentVolumeClaim" -> claim(before, after, changes);
            case "Service" -> service(before, after);
            case "ConfigMap", "Secret" -> immutableData(before, after, changes);
            case "Deployment" -> deployment(after, changes);
            default -> Outcome.NONE;
        };
    }

    /** Refusals, and caveats that do not make the apply fail but need saying. */
    record Outcome(List<Refusal> refusals, List<String> notes) {
        static final Outcome NONE = new Outcome(List.of(), List.of());

        Outcome {
            refusals = List.copyOf(refusals);
            notes = List.copyOf(notes);
        }
    }

    private static String field(Trees.Change c) {
        return c.path() + ": " + Trees.show(c.before()) + " → " + Trees.show(c.after());
    }

    private static Outcome statefulSet(Manifest before, Manifest after, List<Trees.Change> changes) {
        List<Trees.Change> refused = changes.stream()
                .filter(c -> c.under("spec") && !STATEFULSET_MUTABLE.contains(c.segment(1))).toList();
        if (refused.isEmpty()) {
            return Outcome.NONE;
        }
        String name = after.name();
        String ns = after.namespace();
        Set<String> top = new LinkedHashSet<>();
        refused.forEach(c -> top.add(c.segment(1)));
        String reason = "the API server refuses to update StatefulSet spec fields other than replicas, ordinals, template, "
                + "updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds; this change touches "
                + String.join(", ", top.stream().map(t -> "spec." + t).toList());
        boolean storageOnly = refused.stream().allMatch(ApplyRules::isClaimStorage);
        List<String> steps = new ArrayList<>();
        if (storageOnly && refused.stream().anyMatch(c -> compare(c.after(), c.before()) < 0)) {
            steps.add("A volume cannot shrink: keep the size, or move the data to a new deployment (render it under another "
                    + "name, make it a replica of this one or restore a backup, switch the clients, delete this one).");
            return new Outcome(List.of(new Refusal(refused.stream().map(ApplyRules::field).toList(), reason, steps)), List.of());
        }
        int pods = replicas(before);
        boolean cluster = isCluster(after);
        if (storageOnly) {
            for (Trees.Change c : refused) {
                String claim = c.segment(2).substring(1, c.segment(2).length() - 1);
                JsonNode template = claimTemplate(after, claim);
                String size = Trees.show(c.after());
                String storageClass = template.path("spec").path("storageClassName").asText("");
                String classWords = storageClass.isEmpty() ? "the cluster's default StorageClass (kubectl get storageclass)"
                        : "StorageClass " + storageClass;
                steps.add("The claims of the running pods keep their size (a claim template only shapes claims created later). "
                        + "Grow them in place where " + classWords + " allows volume expansion ("
                        + "kubectl get storageclass " + (storageClass.isEmpty() ? "NAME" : storageClass)
                        + " -o jsonpath='{.allowVolumeExpansion}' prints true):");
                for (int i = 0; i < pods; i++) {
                    steps.add("  kubectl patch pvc " + claim + "-" + name + "-" + i + " -n " + ns
                            + " -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"" + size + "\"}}}}'");
                }
                steps.add("  kubectl get pvc -n " + ns + claimList(claim, name, pods)
                        + "   # wait for the new capacity (some drivers grow the file system when the pod restarts)");
            }
            steps.add("Then replace the StatefulSet object without touching its pods:");
            steps.add("  kubectl delete statefulset " + name + " -n " + ns + " --cascade=orphan   # pods and claims keep running");
            steps.add("  apply the new output again (kubectl apply -k DIR, or redisgen render ... | kubectl apply -f -): the "
                    + "StatefulSet is created with the new claim template and adopts the running pods");
            steps.add("Where the StorageClass cannot expand volumes (local-path cannot): delete and re-apply the StatefulSet as "
                    + "above, then give each pod a new claim, one pod at a time from " + name + "-" + (pods - 1) + " down to " + name
                    + "-0, waiting for Ready in between:");
            steps.addAll(recreateClaims(name, ns, pods, claims(refused), cluster));
            return new Outcome(List.of(new Refusal(refused.stream().map(ApplyRules::field).toList(), reason, steps)), List.of());
        }
        steps.add("kubectl delete statefulset " + name + " -n " + ns + " --cascade=orphan   # the pods and their claims keep running");
        steps.add("apply the new output again (kubectl apply -k DIR, or redisgen render ... | kubectl apply -f -)");
        if (top.contains("podManagementPolicy") || top.contains("revisionHistoryLimit")) {
            steps.add("the StatefulSet is created again with the new " + String.join(" and ", top) + " and adopts the running pods; "
                    + "nothing restarts for this field");
        }
        if (top.contains("selector")) {
            steps.add("the new selector does not match the running pods, so the new StatefulSet cannot adopt them; replace them one at "
                    + "a time from " + name + "-" + (pods - 1) + " down to " + name + "-0: kubectl delete pod " + name + "-" + (pods - 1)
                    + " -n " + ns + ", wait until the new pod is Ready, then the next (each keeps its claim and its data)");
        }
        if (top.contains("serviceName")) {
            steps.add("the pods' DNS names (POD." + after.tree().path("spec").path("serviceName").asText() + "." + ns + ".svc) change with "
                    + "serviceName, and " + (cluster ? "the cluster nodes" : "the Sentinels and the replicas") + " know each other by "
                    + "those names: this is a migration. Render the new deployment under another name beside this one, move the data "
                    + "(make it a replica of the running master, or restore a backup), switch the clients, then delete the old objects");
        }
        if (top.contains("volumeClaimTemplates")) {
            steps.add("the running pods keep their claims as they are; the new claim template applies to claims created later. "
                    + "To move every pod to it, one pod at a time from " + name + "-" + (pods - 1) + " down to " + name + "-0:");
            steps.addAll(recreateClaims(name, ns, pods, claims(refused), cluster));
        }
        return new Outcome(List.of(new Refusal(refused.stream().map(ApplyRules::field).toList(), reason, steps)), List.of());
    }

    /** The per-pod steps that give each pod of the StatefulSet a new claim (its data comes back by resync). */
    private static List<String> recreateClaims(String name, String ns, int pods, List<String> claims, boolean cluster) {
        List<String> steps = new ArrayList<>();
        String pod = name + "-N";
        StringBuilder delete = new StringBuilder("  ");
        for (String claim : claims) {
            delete.append("kubectl delete pvc ").append(claim).append('-').append(pod).append(" -n ").append(ns).append(" --wait=false && ");
        }
        delete.append("kubectl delete pod ").append(pod).append(" -n ").append(ns);
        if (cluster) {
            steps.add("  if " + pod + " is a master (redis-cli CLUSTER NODES), make its replica take over first: redis-cli -h <replica> "
                    + "CLUSTER FAILOVER");
            steps.add(delete.toString());
            steps.add("  the pod comes back with an empty volume, as a new node outside the cluster: add it as a replica "
                    + "(redis-cli --cluster add-node <its IP>:6379 <any node>:6379 --cluster-slave) and forget its old node id on "
                    + "every node (redis-cli CLUSTER FORGET <old id>)");
        } else {
            steps.add(delete.toString() + "   # N from " + (pods - 1) + " down to 0");
            steps.add("  the pod comes back with an empty claim of the new shape and resyncs from the master; the master's pod "
                    + "hands over to a replica in its preStop first, so one failover happens");
        }
        return steps;
    }

    private static List<String> claims(List<Trees.Change> refused) {
        Set<String> out = new LinkedHashSet<>();
        for (Trees.Change c : refused) {
            if (c.segment(1).equals("volumeClaimTemplates") && c.segment(2).startsWith("[")) {
                String key = c.segment(2).substring(1, c.segment(2).length() - 1);
                if (!key.matches("\\d+")) {
                    out.add(key);
                }
            }
        }
        return out.isEmpty() ? List.of("data") : List.copyOf(out);
    }

    private static String claimList(String claim, String name, int pods) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pods; i++) {
            out.append(' ').append(claim).append('-').append(name).append('-').append(i);
        }
        return out.toString();
    }

    /** The claim template of that name, or a missing node. */
    private static JsonNode claimTemplate(Manifest statefulSet, String claim) {
        for (JsonNode t : statefulSet.tree().path("spec").path("volumeClaimTemplates")) {
            if (claim.equals(t.path("metadata").path("name").asText())) {
                return t;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static boolean isClaimStorage(Trees.Change c) {
        return c.segments().size() == 7 && c.under("spec", "volumeClaimTemplates") && c.segment(3).equals("spec")
                && c.segment(4).equals("resources") && c.segment(5).equals("requests") && c.segment(6).equals("storage")
                && quantity(c.before()) != null && quantity(c.after()) != null;
    }

    static int replicas(Manifest m) {
        JsonNode r = m.tree().path("spec").path("replicas");
        return r.isNumber() ? r.asInt() : 1;
    }

    static boolean isCluster(Manifest workload) {
        for (JsonNode c : workload.template().path("spec").path("containers")) {
            if (!Trees.named(c.path("env"), "SHARDS").isMissingNode()) {
                return true;
            }
        }
        return false;
    }

    private static Outcome job(Manifest after, List<Trees.Change> changes) {
        List<Trees.Change> refused = changes.stream().filter(c -> c.under("spec") && JOB_IMMUTABLE.contains(c.segment(1))).toList();
        if (refused.isEmpty()) {
            return Outcome.NONE;
        }
        Set<String> top = new LinkedHashSet<>();
        refused.forEach(c -> top.add("spec." + c.segment(1)));
        List<String> steps = new ArrayList<>();
        steps.add("kubectl delete job " + after.name() + " -n " + after.namespace() + "   # a finished Job has done its work");
        steps.add("apply the new output again: the Job is created anew and runs once more with the new " + String.join(" and ", top)
                + ("create-cluster".equals(after.label("component"))
                        ? " (cluster-create.sh creates the cluster only when no node holds slots, so running it again is harmless)" : ""));
        return new Outcome(List.of(new Refusal(refused.stream().map(ApplyRules::field).toList(),
                "the API server refuses to update a Job's " + String.join(", ", top) + " (field is immutable)", steps)), List.of());
    }

    private static Outcome claim(Manifest before, Manifest after, List<Trees.Change> changes) {
        List<Trees.Change> spec = changes.stream().filter(c -> c.under("spec")).toList();
        List<Trees.Change> refused = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String ns = after.namespace();
        for (Trees.Change c : spec) {
            boolean storage = c.segments().equals(List.of("spec", "resources", "requests", "storage"));
            Integer order = storage ? compare(c.after(), c.before()) : null;
            if (order != null && order > 0) {
                String storageClass = after.tree().path("spec").path("storageClassName").asText("");
                notes.add("claim " + after.name() + " grows in place from " + Trees.show(c.before()) + " to " + Trees.show(c.after())
                        + " only where " + (storageClass.isEmpty() ? "the default StorageClass" : "StorageClass " + storageClass)
                        + " allows volume expansion (else the PersistentVolumeClaimResize admission refuses the apply), and only once "
                        + "the claim is bound");
            } else {
                refused.add(c);
            }
        }
        if (refused.isEmpty()) {
            return new Outcome(List.of(), notes);
        }
        boolean shrink = refused.stream().anyMatch(c -> c.segments().equals(List.of("spec", "resources", "requests", "storage")));
        List<String> steps = new ArrayList<>();
        if (shrink) {
            steps.add("A volume cannot shrink: keep the size, or move the data to a new claim.");
        }
        steps.add("To move to a claim of the new shape: take a backup, scale the workload that mounts " + after.name() + " to 0, "
                + "kubectl delete pvc " + after.name() + " -n " + ns + ", apply the new output again, restore the backup into the new "
                + "claim, scale back up");
        return new Outcome(List.of(new Refusal(refused.stream().map(ApplyRules::field).toList(),
                "the API server refuses to change a PersistentVolumeClaim's spec after creation, except to grow "
                        + "resources.requests.storage of a bound claim", steps)), notes);
    }

    private static Outcome service(Manifest before, Manifest after) {
        JsonNode a = before.tree().path("spec");
        JsonNode b = after.tree().path("spec");
        if ("ExternalName".equals(a.path("type").asText()) || "ExternalName".equals(b.path("type").asText())) {
            return Outcome.NONE;
        }
        String oldIp = a.path("clusterIP").asText("");
        String newIp = b.path("clusterIP").asText("");
        String type = b.path("type").asText("ClusterIP");
        List<String> steps = List.of("kubectl delete service " + after.name() + " -n " + after.namespace()
                        + "   # its clients lose it until the next step",
                "apply the new output again: the Service is created with a new address (clients that resolve its name follow)");
        if ("None".equals(newIp) && (type.equals("NodePort") || type.equals("LoadBalancer"))) {
            return new Outcome(List.of(new Refusal(List.of("spec.clusterIP: None with spec.type " + type),
                    "the API server refuses a headless " + type + " Service", List.of("keep the Service type ClusterIP, or give it a cluster IP"))),
                    List.of());
        }
        if (!newIp.isEmpty() && !newIp.equals(oldIp)) {
            // The old side without an explicit clusterIP still has one allocated on the server.
            return new Outcome(List.of(new Refusal(List.of("spec.clusterIP: " + (oldIp.isEmpty() ? "(allocated)" : oldIp) + " → " + newIp),
                    "the API server refuses to change a Service's clusterIP once set (headless None included)", steps)), List.of());
        }
        if (newIp.isEmpty() && "None".equals(oldIp)) {
            return new Outcome(List.of(), List.of("Service " + after.name() + " stays headless: apply leaves clusterIP None in place "
                    + "(the API server keeps an allocated clusterIP the manifest no longer sets); delete the Service and apply again to "
                    + "give it a cluster IP"));
        }
        return Outcome.NONE;
    }

    private static Outcome immutableData(Manifest before, Manifest after, List<Trees.Change> changes) {
        List<String> fields = new ArrayList<>();
        boolean wasImmutable = before.tree().path("immutable").asBoolean(false);
        for (Trees.Change c : changes) {
            boolean data = c.under("data") || c.under("binaryData") || c.under("stringData") || c.under("immutable");
            if (wasImmutable && data || after.kind().equals("Secret") && c.under("type")) {
                fields.add(field(c));
            }
        }
        if (fields.isEmpty()) {
            return Outcome.NONE;
        }
        String kind = after.kind().toLowerCase(Locale.ROOT);
        return new Outcome(List.of(new Refusal(fields, wasImmutable
                ? "the API server refuses to change the data of a " + after.kind() + " marked immutable: true"
                : "the API server refuses to change a Secret's type",
                List.of("kubectl delete " + kind + " " + after.name() + " -n " + after.namespace(),
                        "apply the new output again; pods that mount it see the new content once they restart"))), List.of());
    }

    private static Outcome deployment(Manifest after, List<Trees.Change> changes) {
        List<Trees.Change> refused = changes.stream().filter(c -> c.under("spec", "selector")).toList();
        if (refused.isEmpty()) {
            return Outcome.NONE;
        }
        return new Outcome(List.of(new Refusal(refused.stream().map(ApplyRules::field).toList(),
                "the API server refuses to change a Deployment's spec.selector (immutable in apps/v1)",
                List.of("kubectl delete deployment " + after.name() + " -n " + after.namespace()
                                + "   # its pods stop: plain clients lose the endpoint until the next step",
                        "apply the new output again: the Deployment and its pods are created anew"))), List.of());
    }

    /** Compares two Kubernetes quantities (sign of after − before), or null when either is not one. */
    static Integer compare(JsonNode after, JsonNode before) {
        BigDecimal a = quantity(after);
        BigDecimal b = quantity(before);
        return a == null || b == null ? null : a.compareTo(b);
    }

    /** A Kubernetes quantity ("10Gi", "500m", "1e3") as a number, or null. */
    static BigDecimal quantity(JsonNode node) {
        if (node == null || !(node.isTextual() || node.isNumber())) {
            return null;
        }
        String s = node.asText().trim();
        String[][] suffixes = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
            {"Pi", "1125899906842624"}, {"Ei", "1152921504606846976"}, {"n", "0.000000001"}, {"u", "0.000001"}, {"m", "0.001"},
            {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}, {"P", "1000000000000000"},
            {"E", "1000000000000000000"}};
        try {
            for (String[] suffix : suffixes) {
                if (s.endsWith(suffix[0])) {
                    return new BigDecimal(s.substring(0, s.length() - suffix[0].length())).multiply(new BigDecimal(suffix[1]));
                }
            }
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
