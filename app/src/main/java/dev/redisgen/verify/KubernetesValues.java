package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.Names;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.DeploymentSpec;
import dev.redisgen.profile.LimitRangeSpec;
import dev.redisgen.profile.NetworkPolicySpec;
import dev.redisgen.profile.ResourceQuotaSpec;
import dev.redisgen.profile.SourceMap;
import dev.redisgen.profile.TaintEffect;
import dev.redisgen.profile.Toleration;
import dev.redisgen.profile.TolerationOperator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.redisgen.validation.Validation;
import java.math.BigDecimal;

/**
 * Values the API server (or the kubelet) validates, validated here the same way with the checks of {@link Validation}, so a
 * profile fails with its line instead of `kubectl apply` failing on an object or a pod failing to start: label and annotation
 * keys and values, images, node selectors, tolerations, topology keys, PriorityClass, pull-Secret and StorageClass names,
 * Secret keys, user and group IDs, the namespaces and pod labels a NetworkPolicy names, CIDRs, LimitRange and ResourceQuota
 * amounts, CronJob schedules and time zones, and the cluster domain.
 */
final class KubernetesValues implements Rule {
    /** A DNS name, the longest pod name redisgen renders included, is at most 253 characters. */
    private static final int MAX_DNS_NAME = 253;

    @Override
    public String id() {
        return "kubernetes-values";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        var profile = ctx.profile();
        clusterDomain(ctx, out);
        storageClass(ctx, out, "/storageClass", profile.storageClass());
        labels(ctx, out, "/namespace/labels", profile.namespace().labels());
        limitRange(ctx, out, profile.namespace().limitRange());
        resourceQuota(ctx, out, profile.namespace().resourceQuota());
        for (int i = 0; i < profile.deployments().size(); i++) {
            DeploymentSpec d = profile.deployments().get(i);
            RedisPlan plan = ctx.plan().deployments().get(i);
            String p = "/deployments/" + i;
            image(ctx, out, p + "/image", d.image());
            if (d.exporter() != null) {
                image(ctx, out, p + "/exporter/image", d.exporter().image());
            }
            if (plan.proxy() != null) {
                image(ctx, out, p + "/writeEndpoint/image", d.writeEndpoint().image());
            }
            labels(ctx, out, p + "/podLabels", d.podLabels());
            annotations(ctx, out, p + "/podAnnotations", d.podAnnotations());
            labels(ctx, out, p + "/services/labels", d.services().labels());
            annotations(ctx, out, p + "/services/annotations", d.services().annotations());
            labels(ctx, out, p + "/monitoring/labels", d.monitoring().labels());
            labels(ctx, out, p + "/placement/nodeSelector", d.placement().nodeSelector());
            topologyKeys(ctx, out, p + "/placement/topologyKeys", d.placement().topologyKeys(), "anti-affinity");
            topologyKeys(ctx, out, p + "/placement/spreadKeys", d.placement().spreadKeys(), "topology spread");
            var tolerations = d.placement().tolerations();
            for (int j = 0; j < tolerations.size(); j++) {
                toleration(ctx, out, p + "/placement/tolerations/" + j, tolerations.get(j));
            }
            String priority = d.placement().priorityClassName();
            if (priority != null && !Validation.isDNS1123Subdomain(priority).isEmpty()) {
                out.add(err(ctx, p + "/placement/priorityClassName", "priorityClassName '" + priority + "' is not a DNS subdomain, which"
                        + " a PriorityClass name must be", "write the name of an existing PriorityClass, e.g. `system-cluster-critical`"));
            }
            var secrets = d.imagePullSecrets();
            for (int j = 0; j < secrets.size(); j++) {
                if (!Validation.isDNS1123Subdomain(secrets.get(j)).isEmpty()) {
                    out.add(err(ctx, p + "/imagePullSecrets/" + j, "'" + secrets.get(j) + "' is not a Secret name (a DNS subdomain:"
                            + " lower-case letters, digits, '-' and '.')", "write the name of the registry Secret, e.g. `regcred`"));
                } else if (secrets.subList(0, j).contains(secrets.get(j))) {
                    out.add(err(ctx, p + "/imagePullSecrets/" + j, "pull Secret '" + secrets.get(j) + "' is listed twice; the API server"
                            + " keys imagePullSecrets by name and refuses a duplicate (server-side apply)", "list each Secret once"));
                }
            }
            if (d.auth() != null) {
                secretKey(ctx, out, p + "/auth/passwordKey", d.auth().passwordKey());
                if (d.auth().sentinelPasswordKey() != null) {
                    secretKey(ctx, out, p + "/auth/sentinelPasswordKey", d.auth().sentinelPasswordKey());
                }
                var u = d.auth().users();
                if (u != null) {
                    secretKey(ctx, out, p + "/auth/users/replicationPasswordKey", u.replicationPasswordKey());
                    secretKey(ctx, out, p + "/auth/users/sentinelUserPasswordKey", u.sentinelUserPasswordKey());
                    secretKey(ctx, out, p + "/auth/users/exporterPasswordKey", u.exporterPasswordKey());
                    secretKey(ctx, out, p + "/auth/users/adminPasswordKey", u.adminPasswordKey());
                }
            }
            var sec = d.security();
            ids(ctx, out, p + "/security/runAsUser", "runAsUser", Validation.isValidUserID(sec.runAsUser()));
            ids(ctx, out, p + "/security/runAsGroup", "runAsGroup", Validation.isValidGroupID(sec.runAsGroup()));
            ids(ctx, out, p + "/security/fsGroup", "fsGroup", Validation.isValidGroupID(sec.fsGroup()));
            if (d.persistence() != null) {
                storageClass(ctx, out, p + "/persistence/storageClass", d.persistence().storageClass());
            }
            if (d.sentinel() != null) {
                storageClass(ctx, out, p + "/sentinel/storage/storageClass", d.sentinel().storage().storageClass());
            }
            if (d.backup() != null) {
                storageClass(ctx, out, p + "/backup/storage/storageClass", d.backup().storage().storageClass());
                var schedules = d.backup().schedules();
                for (int j = 0; j < schedules.size(); j++) {
                    var s = schedules.get(j);
                    String bp = p + "/backup/schedules/" + j;
                    for (String problem : Validation.isValidCronSchedule(s.schedule())) {
                        out.add(err(ctx, bp + "/schedule", "schedule '" + s.schedule() + "' is not a cron schedule the API server accepts: "
                                + problem, "write five fields (minute hour day-of-month month day-of-week) like \"0 2 * * *\", or `@daily`;"
                                + " the time zone goes in `timeZone`"));
                        break;
                    }
                    for (String problem : Validation.isValidTimeZone(s.timeZone())) {
                        out.add(err(ctx, bp + "/timeZone", "timeZone '" + s.timeZone() + "' is refused: " + problem,
                                "write an IANA time zone such as `Etc/UTC` or `Europe/Berlin`"));
                    }
                }
            }
            networkPolicy(ctx, out, p + "/networkPolicy", d.networkPolicy());
        }
        return out;
    }

    private void networkPolicy(Context ctx, List<Diagnostic> out, String p, NetworkPolicySpec np) {
        namespaces(ctx, out, p + "/allowNamespaces", np.allowNamespaces());
        namespaces(ctx, out, p + "/metricsNamespaces", np.metricsNamespaces());
        var pods = np.allowPods();
        for (int j = 0; j < pods.size(); j++) {
            String pp = p + "/allowPods/" + j;
            if (pods.get(j).namespace() != null) {
                namespaces(ctx, out, pp + "/namespace", pods.get(j).namespace());
            }
            labels(ctx, out, pp + "/labels", pods.get(j).labels());
        }
        var cidrs = np.allowCidrs();
        for (int j = 0; j < cidrs.size(); j++) {
            if (!Validation.isValidCIDR(cidrs.get(j)).isEmpty()) {
                out.add(err(ctx, p + "/allowCidrs/" + j, "'" + cidrs.get(j) + "' is not a CIDR, which a NetworkPolicy"
                        + " ipBlock must be", "write an address and prefix length, e.g. `10.0.0.0/8` or `2001:db8::/32`"));
            }
        }
    }

    private void namespaces(Context ctx, List<Diagnostic> out, String pointer, List<String> names) {
        for (int j = 0; j < names.size(); j++) {
            namespaces(ctx, out, pointer + "/" + j, names.get(j));
        }
    }

    /** A namespace a NetworkPolicy selects by its kubernetes.io/metadata.name label: a namespace name, a DNS label. */
    private void namespaces(Context ctx, List<Diagnostic> out, String pointer, String name) {
        List<String> problems = Validation.isDNS1123Label(name);
        if (!problems.isEmpty()) {
            out.add(err(ctx, pointer, "'" + name + "' is not a namespace name: " + problems.get(0),
                    "write the namespace as `kubectl get namespaces` shows it, e.g. `monitoring`"));
        }
    }

    private void image(Context ctx, List<Diagnostic> out, String pointer, String image) {
        List<String> problems = Validation.isValidImageReference(image);
        if (!problems.isEmpty()) {
            out.add(err(ctx, pointer, "image '" + image + "' is not an image reference a node can pull: " + problems.get(0),
                    "write `[registry/]repository:tag` or `...@sha256:<digest>`, e.g. `redis:7.2-alpine`"));
        }
    }

    private void secretKey(Context ctx, List<Diagnostic> out, String pointer, String key) {
        List<String> problems = Validation.isConfigMapKey(key);
        if (!problems.isEmpty()) {
            out.add(err(ctx, pointer, "'" + key + "' is not a Secret key (a `secretKeyRef` names it): " + problems.get(0),
                    "write the key as `kubectl get secret -o yaml` shows it under `data`, e.g. `password`"));
        }
    }

    private void ids(Context ctx, List<Diagnostic> out, String pointer, String what, List<String> problems) {
        if (!problems.isEmpty()) {
            out.add(err(ctx, pointer, what + " " + problems.get(0), "use 10001 (or the image's redis user, 999)"));
        }
    }

    private void topologyKeys(Context ctx, List<Diagnostic> out, String pointer, List<String> keys, String what) {
        for (int j = 0; j < keys.size(); j++) {
            String key = keys.get(j);
            List<String> problems = Validation.isQualifiedName(key);
            if (!problems.isEmpty()) {
                out.add(err(ctx, pointer + "/" + j, "'" + key + "' is not a node label key (" + what + " topology key): " + problems.get(0),
                        "use kubernetes.io/hostname or topology.kubernetes.io/zone"));
            } else if (keys.subList(0, j).contains(key)) {
                out.add(err(ctx, pointer + "/" + j, "topology key '" + key + "' is listed twice; the API server refuses two "
                        + what + " terms for one key", "list each key once"));
            }
        }
    }

    /** The LimitRange validation of the API server: min ≤ max, a ratio of at least 1 and at most max/min. */
    private void limitRange(Context ctx, List<Diagnostic> out, LimitRangeSpec lr) {
        if (lr == null) {
            return;
        }
        String p = "/namespace/limitRange";
        BigDecimal minCpu = lr.min() == null || lr.min().cpu() == null ? null : BigDecimal.valueOf(lr.min().cpu().millis(), 3);
        BigDecimal maxCpu = lr.max() == null || lr.max().cpu() == null ? null : BigDecimal.valueOf(lr.max().cpu().millis(), 3);
        BigDecimal minMem = lr.min() == null || lr.min().memory() == null ? null : BigDecimal.valueOf(lr.min().memory().bytes());
        BigDecimal maxMem = lr.max() == null || lr.max().memory() == null ? null : BigDecimal.valueOf(lr.max().memory().bytes());
        if (minCpu != null && maxCpu != null && minCpu.compareTo(maxCpu) > 0) {
            out.add(err(ctx, p + "/min/cpu", "min cpu " + lr.min().cpu() + " is greater than max cpu " + lr.max().cpu(), "set min at most max"));
        }
        if (minMem != null && maxMem != null && minMem.compareTo(maxMem) > 0) {
            out.add(err(ctx, p + "/min/memory", "min memory " + lr.min().memory() + " is greater than max memory " + lr.max().memory(),
                    "set min at most max"));
        }
        var ratio = lr.maxLimitRequestRatio();
        if (ratio != null) {
            ratio(ctx, out, p + "/maxLimitRequestRatio/cpu", "cpu", ratio.cpu(), minCpu, maxCpu);
            ratio(ctx, out, p + "/maxLimitRequestRatio/memory", "memory", ratio.memory(), minMem, maxMem);
        }
    }

    private void ratio(Context ctx, List<Diagnostic> out, String pointer, String resource, BigDecimal ratio, BigDecimal min, BigDecimal max) {
        if (ratio == null) {
            return;
        }
        if (ratio.compareTo(BigDecimal.ONE) < 0) {
            out.add(err(ctx, pointer, "maxLimitRequestRatio " + resource + " " + ratio.toPlainString() + " is less than 1 (a limit is never"
                    + " below its request)", "use 1 (limit = request) or more, e.g. 4"));
            return;
        }
        // As the API server computes it: Quantity.Value(), whole units rounded up (50m of CPU counts as 1).
        if (min != null && max != null && min.signum() > 0) {
            BigDecimal bound = new BigDecimal(Validation.ceilValue(max)).divide(new BigDecimal(Validation.ceilValue(min)), 6,
                    java.math.RoundingMode.HALF_EVEN);
            if (new BigDecimal(Validation.ceilValue(ratio)).compareTo(bound) > 0 && ratio.compareTo(bound) > 0) {
                out.add(err(ctx, pointer, "maxLimitRequestRatio " + resource + " " + ratio.toPlainString() + " is greater than max/min = "
                        + bound.stripTrailingZeros().toPlainString() + ", which the API server refuses", "lower the ratio, or widen min and max"));
            }
        }
    }

    private void resourceQuota(Context ctx, List<Diagnostic> out, ResourceQuotaSpec q) {
        if (q == null) {
            return;
        }
        String p = "/namespace/resourceQuota";
        count(ctx, out, p + "/persistentVolumeClaims", "persistentvolumeclaims", q.persistentVolumeClaims());
        count(ctx, out, p + "/pods", "pods", q.pods());
        count(ctx, out, p + "/services", "services", q.services());
    }

    private void count(Context ctx, List<Diagnostic> out, String pointer, String what, Integer value) {
        if (value != null && value < 0) {
            out.add(err(ctx, pointer, "quota " + what + " " + value + " must be greater than or equal to 0", "set the number the namespace may hold"));
        }
    }

    private void clusterDomain(Context ctx, List<Diagnostic> out) {
        String domain = ctx.profile().clusterDomain();
        if (!dnsDomain(domain)) {
            out.add(err(ctx, "/clusterDomain", "cluster domain '" + domain + "' is not a DNS domain (lower-case labels of letters, digits"
                    + " and '-', joined by '.', without a trailing '.')", "use the kubelet's `--cluster-domain`, usually `cluster.local`"));
            return;
        }
        String ns = ctx.plan().namespace().name();
        for (var d : ctx.plan().deployments()) {
            // The longest names the pods resolve: the last pod of each StatefulSet behind its headless Service.
            var n = d.names();
            List<String> names = new ArrayList<>();
            names.add(Names.fqdn(n.podName(Math.max(0, d.redisReplicas() - 1)), n.headless(), ns, domain));
            if (d.sentinel() != null && d.sentinel().separate()) {
                names.add(Names.fqdn(n.sentinelPodName(Math.max(0, d.sentinel().sentinels() - 1)), n.sentinelHeadless(), ns, domain));
            }
            for (String name : names) {
                if (name.length() > MAX_DNS_NAME) {
                    out.add(err(ctx, "/clusterDomain", "the pod name '" + name + "' is longer than the 253 characters DNS allows",
                            "shorten the cluster domain, the namespace or the deployment name"));
                    return;
                }
            }
        }
    }

    private void storageClass(Context ctx, List<Diagnostic> out, String pointer, String name) {
        // "" is a class name of its own: no class, only pre-provisioned volumes without one bind.
        if (name != null && !name.isEmpty() && !Validation.isDNS1123Subdomain(name).isEmpty()) {
            out.add(err(ctx, pointer, "storageClass '" + name + "' is not a DNS subdomain, which a StorageClass name must be",
                    "write the name `kubectl get storageclass` shows, e.g. `standard`"));
        }
    }

    private void labels(Context ctx, List<Diagnostic> out, String base, Map<String, String> labels) {
        for (var e : labels.entrySet()) {
            String pointer = base + SourceMap.pointer(e.getKey());
            List<String> keyProblems = Validation.isQualifiedName(e.getKey());
            if (!keyProblems.isEmpty()) {
                out.add(Diagnostic.error(id(), "label key '" + e.getKey() + "' is invalid: " + keyProblems.get(0),
                        "write `name` or `prefix/name`, e.g. `team` or `example.com/team`", ctx.atKey(pointer)));
            }
            List<String> valueProblems = Validation.isValidLabelValue(e.getValue());
            if (!valueProblems.isEmpty()) {
                out.add(Diagnostic.error(id(), "label value '" + e.getValue() + "' of '" + e.getKey() + "' is invalid: " + valueProblems.get(0),
                        "write a short value such as `platform`; longer text belongs in an annotation", ctx.at(pointer)));
            }
        }
    }

    private void annotations(Context ctx, List<Diagnostic> out, String base, Map<String, String> annotations) {
        for (var e : annotations.entrySet()) {
            // The API server lower-cases an annotation key before checking it, so `Example.com/x` is accepted.
            List<String> keyProblems = Validation.isValidAnnotationKey(e.getKey());
            if (!keyProblems.isEmpty()) {
                out.add(Diagnostic.error(id(), "annotation key '" + e.getKey() + "' is invalid: " + keyProblems.get(0),
                        "write `name` or `prefix/name`, e.g. `example.com/owner`", ctx.atKey(base + SourceMap.pointer(e.getKey()))));
            }
        }
        if (!Validation.validateAnnotationsSize(annotations).isEmpty()) {
            long size = annotations.entrySet().stream().mapToLong(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
            out.add(err(ctx, base, "the annotations take " + size + " bytes; the API server accepts at most "
                    + Validation.TOTAL_ANNOTATION_SIZE_LIMIT_B + " per object", "move the large values into a ConfigMap"));
        }
    }

    private void toleration(Context ctx, List<Diagnostic> out, String p, Toleration t) {
        boolean exists = t.operator() == TolerationOperator.EXISTS;
        if (t.key() != null && !t.key().isEmpty()) {
            List<String> problems = Validation.isQualifiedName(t.key());
            if (!problems.isEmpty()) {
                out.add(err(ctx, p + "/key", "toleration key '" + t.key() + "' is invalid: " + problems.get(0), "write the taint's key, e.g. `dedicated`"));
            }
        } else if (!exists) {
            out.add(err(ctx, p, "a toleration without a key must have `operator: Exists` (it then tolerates every taint)",
                    "add the taint's `key`, or write `operator: Exists`"));
        }
        if (exists && t.value() != null && !t.value().isEmpty()) {
            out.add(err(ctx, p + "/value", "`value` must be absent with `operator: Exists`, which matches every value of the key",
                    "remove `value`, or use `operator: Equal`"));
        } else if (!exists && t.value() != null && !Validation.isValidLabelValue(t.value()).isEmpty()) {
            out.add(err(ctx, p + "/value", "toleration value '" + t.value() + "' is not a valid label value: "
                    + Validation.isValidLabelValue(t.value()).get(0), "write the taint's value"));
        }
        if (t.tolerationSeconds() != null && t.effect() != TaintEffect.NO_EXECUTE) {
            out.add(err(ctx, p + "/tolerationSeconds", "`tolerationSeconds` applies only with `effect: NoExecute` (how long the pod may"
                    + " stay on a node after the taint appears)", "add `effect: NoExecute`, or remove `tolerationSeconds`"));
        }
    }

    /** A domain DNS can resolve: a DNS-1123 subdomain whose every label is a DNS-1123 label (at most 63 characters). */
    static boolean dnsDomain(String name) {
        return Validation.isDNS1123Subdomain(name).isEmpty()
                && java.util.Arrays.stream(name.split("\\.")).allMatch(label -> Validation.isDNS1123Label(label).isEmpty());
    }

    private Diagnostic err(Context ctx, String pointer, String message, String fix) {
        return Diagnostic.error(id(), message, fix, ctx.at(pointer));
    }
}
