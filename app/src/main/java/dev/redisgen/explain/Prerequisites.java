package dev.redisgen.explain;

import dev.redisgen.explain.Explanation.Prerequisite;
import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What must exist before the output applies and its pods start, read from the rendered objects: every
 * Secret and key a pod references (so the kubectl line creates exactly what is read), every StorageClass a
 * claim names, the PriorityClass and the node labels the pods ask for, the CustomResourceDefinitions of non-core
 * kinds, the namespace when another team owns it, and what a NodePort or LoadBalancer Service needs from the cluster.
 */
final class Prerequisites {
    /** API groups every cluster serves; any other group needs its CustomResourceDefinition installed first. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "policy", "autoscaling", "networking.k8s.io",
            "rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io",
            "node.k8s.io", "certificates.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io");

    private Prerequisites() {
    }

    static List<Prerequisite> of(Plan plan, List<HasMetadata> objects) {
        String ns = plan.namespace().name();
        List<Prerequisite> out = new ArrayList<>();
        if (plan.namespace().create()) {
            out.add(new Prerequisite("Namespace", ns, "rendered by this profile; create it first so that the Secrets below have a place "
                    + "(applying the rendered Namespace later only sets its labels)", "kubectl get namespace " + ns,
                    "kubectl create namespace " + ns));
        } else {
            out.add(new Prerequisite("Namespace", ns, "not rendered (namespace.create: false): it must exist, owned by whoever manages it",
                    "kubectl get namespace " + ns, "kubectl create namespace " + ns));
        }
        out.addAll(secrets(objects, ns));
        out.addAll(storageClasses(objects));
        out.addAll(scheduling(objects));
        out.addAll(crds(plan, objects));
        out.addAll(exposed(objects, ns));
        for (RedisPlan d : plan.deployments()) {
            if (d.networkPolicy() != null) {
                out.add(new Prerequisite("NetworkPolicy", d.name(), "a network plugin that enforces NetworkPolicy (without one the policy is "
                        + "silently ignored); clients of " + d.name() + " must " + admitted(d.networkPolicy())
                        + (d.exporter() == null || d.networkPolicy().metricsNamespaces().isEmpty() ? ""
                        : "; Prometheus in " + String.join(", ", d.networkPolicy().metricsNamespaces()))
                        + "; DNS from pods labelled k8s-app: kube-dns (CoreDNS)",
                        null, null));
            }
            if (d.monitoring().dashboard()) {
                out.add(new Prerequisite("Grafana", d.name() + "-dashboard", "a Grafana dashboard sidecar that loads ConfigMaps labelled "
                        + "grafana_dashboard: \"1\" from namespace " + ns + " (the kube-prometheus-stack default)", null, null));
            }
        }
        return out;
    }

    /** Whom a deployment's NetworkPolicy admits, as in "clients must ...": its namespaces and address ranges. */
    static String admitted(NetworkPolicySpec np) {
        List<String> namespaces = np.allowNamespaces();
        List<String> cidrs = np.allowCidrs();
        List<String> where = new ArrayList<>();
        if (!namespaces.isEmpty()) {
            where.add("run in namespace" + (namespaces.size() == 1 ? " " : "s ") + String.join(", ", namespaces));
        }
        for (var pods : np.allowPods()) {
            where.add("carry the labels " + new TreeMap<>(pods.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", ")) + (pods.namespace() == null ? "" : " in namespace " + pods.namespace()));
        }
        String in = where.isEmpty() ? null : String.join(" or ", where);
        String from = cidrs.isEmpty() ? null : "come from address range" + (cidrs.size() == 1 ? " " : "s ") + String.join(", ", cidrs);
        return in == null ? from : from == null ? in : in + " or " + from;
    }

    /** Secret name -> key -> the workloads that read it; keys only from non-optional references. */
    private static List<Prerequisite> secrets(List<HasMetadata> objects, String ns) {
        Map<String, Set<String>> keys = new TreeMap<>();
        Map<String, Set<String>> users = new TreeMap<>();
        Map<String, Set<String>> pullSecrets = new TreeMap<>();
        for (HasMetadata o : objects) {
            if (!Manifests.isWorkload(o)) {
                continue;
            }
            String user = o.getKind() + " " + o.getMetadata().getName();
            PodSpec spec = Manifests.pod(o);
            for (Container c : Stream.concat(Manifests.initContainers(spec).stream(), Manifests.containers(spec).stream()).toList()) {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    var ref = e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
                    if (ref != null && !Boolean.TRUE.equals(ref.getOptional())) {
                        keys.computeIfAbsent(ref.getName(), k -> new TreeSet<>()).add(ref.getKey());
                        users.computeIfAbsent(ref.getName(), k -> new TreeSet<>()).add(user);
                    }
                }
                for (EnvFromSource e : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                    if (e.getSecretRef() != null && !Boolean.TRUE.equals(e.getSecretRef().getOptional())) {
                        keys.computeIfAbsent(e.getSecretRef().getName(), k -> new TreeSet<>());
                        users.computeIfAbsent(e.getSecretRef().getName(), k -> new TreeSet<>()).add(user);
                    }
                }
            }
            for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
                if (v.getSecret() != null && !Boolean.TRUE.equals(v.getSecret().getOptional())) {
                    Set<String> k = keys.computeIfAbsent(v.getSecret().getSecretName(), x -> new TreeSet<>());
                    if (v.getSecret().getItems() != null) {
                        v.getSecret().getItems().forEach(i -> k.add(i.getKey()));
                    }
                    users.computeIfAbsent(v.getSecret().getSecretName(), x -> new TreeSet<>()).add(user);
                }
                if (v.getProjected() != null && v.getProjected().getSources() != null) {
                    for (VolumeProjection p : v.getProjected().getSources()) {
                        if (p.getSecret() != null && !Boolean.TRUE.equals(p.getSecret().getOptional())) {
                            Set<String> k = keys.computeIfAbsent(p.getSecret().getName(), x -> new TreeSet<>());
                            if (p.getSecret().getItems() != null) {
                                p.getSecret().getItems().forEach(i -> k.add(i.getKey()));
                            }
                            users.computeIfAbsent(p.getSecret().getName(), x -> new TreeSet<>()).add(user);
                        }
                    }
                }
            }
            for (LocalObjectReference r : spec.getImagePullSecrets() == null ? List.<LocalObjectReference>of() : spec.getImagePullSecrets()) {
                pullSecrets.computeIfAbsent(r.getName(), x -> new TreeSet<>()).add(user);
            }
        }
        List<Prerequisite> out = new ArrayList<>();
        for (var e : keys.entrySet()) {
            String name = e.getKey();
            StringBuilder create = new StringBuilder("kubectl create secret generic " + name + " -n " + ns);
            for (String key : e.getValue()) {
                // Hex is safe in a URL, in JSON and in a config file: the broker URLs below embed the password.
                create.append(" --from-literal=").append(key).append("=\"$(openssl rand -hex 32)\"");
            }
            String keyList = e.getValue().isEmpty() ? "any keys (read whole with envFrom)" : "key" + (e.getValue().size() == 1 ? " " : "s ")
                    + String.join(", ", e.getValue());
            out.add(new Prerequisite("Secret", name, keyList + "; read by " + String.join(", ", users.get(name)),
                    "kubectl get secret " + name + " -n " + ns, create.toString()));
        }
        for (var e : pullSecrets.entrySet()) {
            out.add(new Prerequisite("Secret", e.getKey(), "image pull secret (type kubernetes.io/dockerconfigjson); used by "
                    + String.join(", ", e.getValue()), "kubectl get secret " + e.getKey() + " -n " + ns,
                    "kubectl create secret docker-registry " + e.getKey() + " -n " + ns
                            + " --docker-server=REGISTRY --docker-username=USER --docker-password=\"$REGISTRY_TOKEN\""));
        }
        return out;
    }

    private static List<Prerequisite> storageClasses(List<HasMetadata> objects) {
        Map<String, Set<String>> claims = new TreeMap<>();
        for (HasMetadata o : objects) {
            List<PersistentVolumeClaim> pvcs = o instanceof PersistentVolumeClaim c ? List.of(c) : Manifests.claimTemplates(o);
            for (PersistentVolumeClaim c : pvcs) {
                String sc = c.getSpec().getStorageClassName();
                String claim = o instanceof PersistentVolumeClaim ? "PersistentVolumeClaim " + c.getMetadata().getName()
                        : o.getKind() + " " + o.getMetadata().getName() + " claim " + c.getMetadata().getName();
                claims.computeIfAbsent(sc == null ? "" : sc, x -> new TreeSet<>()).add(claim + " (" + Manifests.claimSize(c) + ", "
                        + String.join(", ", c.getSpec().getAccessModes()) + ")");
            }
        }
        List<Prerequisite> out = new ArrayList<>();
        for (var e : claims.entrySet()) {
            if (e.getKey().isEmpty()) {
                out.add(new Prerequisite("StorageClass", "(default)", "a default StorageClass (marked \"(default)\" by kubectl get storageclass);"
                        + " used by " + String.join(", ", e.getValue()), "kubectl get storageclass", null));
            } else {
                out.add(new Prerequisite("StorageClass", e.getKey(), "used by " + String.join(", ", e.getValue()),
                        "kubectl get storageclass " + e.getKey(), null));
            }
        }
        return out;
    }

    /**
     * The PriorityClass every pod names (the API server refuses a pod whose PriorityClass does not exist, so its
     * controller creates none) and the node labels of a nodeSelector (a pod no node matches stays Pending).
     */
    private static List<Prerequisite> scheduling(List<HasMetadata> objects) {
        Map<String, Set<String>> classes = new TreeMap<>();
        Map<String, Set<String>> selectors = new TreeMap<>();
        for (HasMetadata o : objects) {
            if (!Manifests.isWorkload(o)) {
                continue;
            }
            String user = o.getKind() + " " + o.getMetadata().getName();
            PodSpec spec = Manifests.pod(o);
            if (spec.getPriorityClassName() != null) {
                classes.computeIfAbsent(spec.getPriorityClassName(), x -> new TreeSet<>()).add(user);
            }
            if (spec.getNodeSelector() != null && !spec.getNodeSelector().isEmpty()) {
                List<String> labels = new TreeMap<>(spec.getNodeSelector()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
                selectors.computeIfAbsent(String.join(",", labels), x -> new TreeSet<>()).add(user);
            }
        }
        List<Prerequisite> out = new ArrayList<>();
        for (var e : classes.entrySet()) {
            out.add(new Prerequisite("PriorityClass", e.getKey(), "cluster-scoped, created by the cluster's admins with the value that ranks "
                    + "these pods; named by " + String.join(", ", e.getValue()) + ", whose pods the API server refuses while it does not exist",
                    "kubectl get priorityclass " + e.getKey(), null));
        }
        for (var e : selectors.entrySet()) {
            out.add(new Prerequisite("Nodes", e.getKey(), "nodes with these labels (the nodeSelector of " + String.join(", ", e.getValue())
                    + "), enough of them for the pods to spread over; a pod no node matches stays Pending",
                    "kubectl get nodes -l " + e.getKey(), null));
        }
        return out;
    }

    /** A NodePort or LoadBalancer Service (the profile's {@code services.type}) needs the cluster to expose it. */
    private static List<Prerequisite> exposed(List<HasMetadata> objects, String ns) {
        List<Prerequisite> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (!(o instanceof Service s)) {
                continue;
            }
            String name = s.getMetadata().getName();
            String check = "kubectl get service " + name + " -n " + ns;
            switch (Manifests.serviceType(s)) {
                case "LoadBalancer" -> out.add(new Prerequisite("Service", name, "type LoadBalancer: a load-balancer implementation (the "
                        + "cloud provider's, or MetalLB on bare metal) must give it an address; until then EXTERNAL-IP stays <pending>",
                        check, null));
                case "NodePort" -> out.add(new Prerequisite("Service", name, "type NodePort: reachable on every node's address at the port "
                        + "Kubernetes allocates (30000-32767 by default, PORT(S) shows it); the nodes' firewall must admit the clients",
                        check, null));
                default -> {
                }
            }
        }
        return out;
    }

    private static List<Prerequisite> crds(Plan plan, List<HasMetadata> objects) {
        Map<String, Set<String>> byCrd = new TreeMap<>();
        for (HasMetadata o : objects) {
            String apiVersion = o.getApiVersion();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            if (!BUILT_IN_GROUPS.contains(group)) {
                byCrd.computeIfAbsent(o.getPlural() + "." + group, x -> new TreeSet<>()).add(o.getKind() + " " + o.getMetadata().getName());
            }
        }
        List<Prerequisite> out = new ArrayList<>();
        for (var e : byCrd.entrySet()) {
            String what = "the kind of " + String.join(", ", e.getValue());
            if (e.getKey().endsWith(".monitoring.coreos.com")) {
                what += " (Prometheus Operator, e.g. kube-prometheus-stack); its Prometheus must select these objects' labels"
                        + selectorLabels(plan);
            }
            out.add(new Prerequisite("CustomResourceDefinition", e.getKey(), what, "kubectl get crd " + e.getKey(), null));
        }
        return out;
    }

    private static String selectorLabels(Plan plan) {
        Set<String> labels = new TreeSet<>();
        for (RedisPlan d : plan.deployments()) {
            d.monitoring().labels().forEach((k, v) -> labels.add(k + "=" + v));
        }
        return labels.isEmpty() ? " and namespace" : " (" + String.join(", ", labels) + ") and namespace";
    }
}
