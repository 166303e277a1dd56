package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.Names;
import dev.redisgen.profile.DeploymentSpec;
import dev.redisgen.profile.SourceMap;
import dev.redisgen.profile.TaintEffect;
import dev.redisgen.profile.Toleration;
import dev.redisgen.profile.TolerationOperator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Strings the API server validates, validated here the same way (k8s.io/apimachinery validation and
 * pkg/apis/core/validation), so a profile fails with its line instead of `kubectl apply` failing on an object:
 * label keys and values, annotation keys and their total size, node selectors, tolerations, PriorityClass,
 * pull-Secret and StorageClass names, the cluster domain, NetworkPolicy CIDRs.
 */
final class KubernetesValues implements Rule {
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    /** TotalAnnotationSizeLimitB in apimachinery: keys and values of one object together. */
    private static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;
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
        for (int i = 0; i < profile.deployments().size(); i++) {
            DeploymentSpec d = profile.deployments().get(i);
            String p = "/deployments/" + i;
            labels(ctx, out, p + "/podLabels", d.podLabels());
            annotations(ctx, out, p + "/podAnnotations", d.podAnnotations());
            labels(ctx, out, p + "/services/labels", d.services().labels());
            annotations(ctx, out, p + "/services/annotations", d.services().annotations());
            labels(ctx, out, p + "/monitoring/labels", d.monitoring().labels());
            labels(ctx, out, p + "/placement/nodeSelector", d.placement().nodeSelector());
            var tolerations = d.placement().tolerations();
            for (int j = 0; j < tolerations.size(); j++) {
                toleration(ctx, out, p + "/placement/tolerations/" + j, tolerations.get(j));
            }
            String priority = d.placement().priorityClassName();
            if (priority != null && !subdomain(priority)) {
                out.add(err(ctx, p + "/placement/priorityClassName", "priorityClassName '" + priority + "' is not a DNS subdomain, which"
                        + " a PriorityClass name must be", "write the name of an existing PriorityClass, e.g. `system-cluster-critical`"));
            }
            var secrets = d.imagePullSecrets();
            for (int j = 0; j < secrets.size(); j++) {
                if (!subdomain(secrets.get(j))) {
                    out.add(err(ctx, p + "/imagePullSecrets/" + j, "'" + secrets.get(j) + "' is not a Secret name (a DNS subdomain:"
                            + " lower-case letters, digits, '-' and '.')", "write the name of the registry Secret, e.g. `regcred`"));
                }
            }
            if (d.persistence() != null) {
                storageClass(ctx, out, p + "/persistence/storageClass", d.persistence().storageClass());
            }
            if (d.sentinel() != null) {
                storageClass(ctx, out, p + "/sentinel/storage/storageClass", d.sentinel().storage().storageClass());
            }
            if (d.backup() != null) {
                storageClass(ctx, out, p + "/backup/storage/storageClass", d.backup().storage().storageClass());
            }
            if (d.networkPolicy() != null) {
                var cidrs = d.networkPolicy().allowCidrs();
                for (int j = 0; j < cidrs.size(); j++) {
                    if (!cidr(cidrs.get(j))) {
                        out.add(err(ctx, p + "/networkPolicy/allowCidrs/" + j, "'" + cidrs.get(j) + "' is not a CIDR, which a NetworkPolicy"
                                + " ipBlock must be", "write an address and prefix length, e.g. `10.0.0.0/8` or `2001:db8::/32`"));
                    }
                }
            }
        }
        return out;
    }

    private void clusterDomain(Context ctx, List<Diagnostic> out) {
        String domain = ctx.profile().clusterDomain();
        if (!subdomain(domain)) {
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
        if (name != null && !name.isEmpty() && !subdomain(name)) {
            out.add(err(ctx, pointer, "storageClass '" + name + "' is not a DNS subdomain, which a StorageClass name must be",
                    "write the name `kubectl get storageclass` shows, e.g. `standard`"));
        }
    }

    private void labels(Context ctx, List<Diagnostic> out, String base, Map<String, String> labels) {
        for (var e : labels.entrySet()) {
            String pointer = base + SourceMap.pointer(e.getKey());
            String keyProblem = qualifiedName(e.getKey(), false);
            if (keyProblem != null) {
                out.add(Diagnostic.error(id(), "label key '" + e.getKey() + "' is invalid: " + keyProblem,
                        "write `name` or `prefix/name`, e.g. `team` or `example.com/team`", ctx.atKey(pointer)));
            }
            String value = e.getValue();
            if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                out.add(Diagnostic.error(id(), "label value '" + value + "' of '" + e.getKey() + "' is invalid: at most 63 characters,"
                                + " letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)",
                        "write a short value such as `platform`; longer text belongs in an annotation", ctx.at(pointer)));
            }
        }
    }

    private void annotations(Context ctx, List<Diagnostic> out, String base, Map<String, String> annotations) {
        long size = 0;
        for (var e : annotations.entrySet()) {
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            // The API server lower-cases an annotation key before checking it, so `Example.com/x` is accepted.
            String keyProblem = qualifiedName(e.getKey(), true);
            if (keyProblem != null) {
                out.add(Diagnostic.error(id(), "annotation key '" + e.getKey() + "' is invalid: " + keyProblem,
                        "write `name` or `prefix/name`, e.g. `example.com/owner`", ctx.atKey(base + SourceMap.pointer(e.getKey()))));
            }
        }
        if (size > ANNOTATIONS_MAX_BYTES) {
            out.add(err(ctx, base, "the annotations take " + size + " bytes; the API server accepts at most " + ANNOTATIONS_MAX_BYTES
                    + " per object", "move the large values into a ConfigMap"));
        }
    }

    private void toleration(Context ctx, List<Diagnostic> out, String p, Toleration t) {
        boolean exists = t.operator() == TolerationOperator.EXISTS;
        if (t.key() != null && !t.key().isEmpty()) {
            String problem = qualifiedName(t.key(), false);
            if (problem != null) {
                out.add(err(ctx, p + "/key", "toleration key '" + t.key() + "' is invalid: " + problem, "write the taint's key, e.g. `dedicated`"));
            }
        } else if (!exists) {
            out.add(err(ctx, p, "a toleration without a key must have `operator: Exists` (it then tolerates every taint)",
                    "add the taint's `key`, or write `operator: Exists`"));
        }
        if (exists && t.value() != null && !t.value().isEmpty()) {
            out.add(err(ctx, p + "/value", "`value` must be absent with `operator: Exists`, which matches every value of the key",
                    "remove `value`, or use `operator: Equal`"));
        } else if (!exists && t.value() != null && (t.value().length() > 63 || !LABEL_VALUE.matcher(t.value()).matches())) {
            out.add(err(ctx, p + "/value", "toleration value '" + t.value() + "' is not a valid label value (at most 63 characters,"
                    + " letters, digits, '-', '_' and '.', starting and ending with a letter or digit)", "write the taint's value"));
        }
        if (t.tolerationSeconds() != null && t.effect() != TaintEffect.NO_EXECUTE) {
            out.add(err(ctx, p + "/tolerationSeconds", "`tolerationSeconds` applies only with `effect: NoExecute` (how long the pod may"
                    + " stay on a node after the taint appears)", "add `effect: NoExecute`, or remove `tolerationSeconds`"));
        }
    }

    /** Null if {@code key} is a qualified name ([prefix/]name), else what is wrong with it. */
    static String qualifiedName(String key, boolean annotation) {
        String k = annotation ? key.toLowerCase(java.util.Locale.ROOT) : key;
        int slash = k.indexOf('/');
        String name = slash < 0 ? k : k.substring(slash + 1);
        if (slash >= 0) {
            String prefix = k.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > MAX_DNS_NAME || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "the prefix before '/' must be a DNS subdomain (lower-case letters, digits, '-' and '.')";
            }
        }
        if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
            return "the name" + (slash < 0 ? "" : " after the '/'") + " must be 1-63 characters of letters, digits, '-', '_' and '.',"
                    + " starting and ending with a letter or digit";
        }
        return null;
    }

    static boolean subdomain(String name) {
        return name.length() <= MAX_DNS_NAME && DNS_SUBDOMAIN.matcher(name).matches()
                && java.util.Arrays.stream(name.split("\\.")).allMatch(label -> label.length() <= 63 && DNS_LABEL.matcher(label).matches());
    }

    /** An IPv4 or IPv6 address with a prefix length, as Go's net.ParseCIDR accepts it. */
    static boolean cidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String address = text.substring(0, slash);
        String bits = text.substring(slash + 1);
        if (!bits.matches("0|[1-9][0-9]{0,2}")) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        if (IPV4.matcher(address).matches()) {
            return prefix <= 32;
        }
        return prefix <= 128 && ipv6(address);
    }

    private static boolean ipv6(String address) {
        int doubleColon = address.indexOf("::");
        if (doubleColon != address.lastIndexOf("::") || address.contains(":::")) {
            return false;
        }
        List<String> groups = new ArrayList<>();
        if (doubleColon >= 0) {
            String head = address.substring(0, doubleColon);
            String tail = address.substring(doubleColon + 2);
            if (!head.isEmpty()) {
                groups.addAll(List.of(head.split(":", -1)));
            }
            if (!tail.isEmpty()) {
                groups.addAll(List.of(tail.split(":", -1)));
            }
        } else {
            groups.addAll(List.of(address.split(":", -1)));
        }
        int width = 0;
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            if (i == groups.size() - 1 && IPV4.matcher(g).matches()) {
                width += 2;  // an embedded IPv4 address (::ffff:10.0.0.0) counts as two groups
            } else if (HEX_GROUP.matcher(g).matches()) {
                width += 1;
            } else {
                return false;
            }
        }
        return doubleColon >= 0 ? width < 8 : width == 8;
    }

    private Diagnostic err(Context ctx, String pointer, String message, String fix) {
        return Diagnostic.error(id(), message, fix, ctx.at(pointer));
    }
}
