package dev.redisgen.validate;

import static dev.redisgen.validate.Rendered.nonNull;
import static dev.redisgen.validate.Rendered.selects;

import dev.redisgen.validation.Validation;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Admission, simulated from the rendered objects alone (never from the plan): what the API server's
 * LimitRanger and ResourceQuota admission plugins and its object validation would say when the
 * output of each built-in profile is applied, plus the cross-object references that make the
 * objects work together (Service → pods, StatefulSet → headless Service, volumes → ConfigMaps, PDB →
 * pods).
 */
class AdmissionTest {

    /** Problems known and reported, waiting for a renderer fix; the test subtracts them. */
    static final Set<String> KNOWN_FINDINGS = Set.of();

    static final List<String> PROFILES = Rendered.PROFILES;


    @ParameterizedTest
    @FieldSource("PROFILES")
    void admitted(String profile) {
        Findings f = new Findings();
        check(profile, f);
        f.assertOnly(KNOWN_FINDINGS, profile);
    }

    /** Every admission check on the objects {@link Rendered} holds for {@code profile}. */
    static void check(String profile, Findings f) {
        limitRanges(profile, f);
        quota(profile, f);
        containerResources(profile, f);
        probes(profile, f);
        services(profile, f);
        statefulSets(profile, f);
        volumeReferences(profile, f);
        disruptionBudgets(profile, f);
        names(profile, f);
        selectorsAndSchedules(profile, f);
    }

    // ------------------------------------------------------------------ LimitRanger

    static BigDecimal amount(Quantity q) {
        return q == null ? null : Quantity.getAmountInBytes(q);
    }

    /** The container's requests and limits after LimitRanger defaulting (and the API's requests := limits default). */
    static Map<String, Map<String, BigDecimal>> effective(Container c, List<LimitRangeItem> items) {
        Map<String, BigDecimal> req = new HashMap<>();
        Map<String, BigDecimal> lim = new HashMap<>();
        if (c.getResources() != null) {
            nonNull(c.getResources().getRequests()).forEach((k, v) -> req.put(k, amount(v)));
            nonNull(c.getResources().getLimits()).forEach((k, v) -> lim.put(k, amount(v)));
        }
        for (LimitRangeItem item : items) {
            nonNull(item.getDefault()).forEach((k, v) -> lim.putIfAbsent(k, amount(v)));
            nonNull(item.getDefaultRequest()).forEach((k, v) -> req.putIfAbsent(k, amount(v)));
        }
        lim.forEach(req::putIfAbsent); // a limit without a request: request defaults to the limit
        return Map.of("requests", req, "limits", lim);
    }

    static void limitRanges(String profile, Findings f) {
        List<LimitRange> ranges = Rendered.of(profile, LimitRange.class);
        for (LimitRange lr : ranges) {
            List<LimitRangeItem> containerItems = nonNull(lr.getSpec().getLimits()).stream().filter(i -> "Container".equals(i.getType())).toList();
            List<LimitRangeItem> podItems = nonNull(lr.getSpec().getLimits()).stream().filter(i -> "Pod".equals(i.getType())).toList();
            List<LimitRangeItem> pvcItems = nonNull(lr.getSpec().getLimits()).stream().filter(i -> "PersistentVolumeClaim".equals(i.getType())).toList();
            String where = Rendered.id(lr);
            for (Rendered.Workload w : Rendered.workloads(profile)) {
                if (!Objects.equals(w.namespace(), lr.getMetadata().getNamespace())) continue;
                Map<String, BigDecimal> podReq = new HashMap<>();
                Map<String, BigDecimal> podLim = new HashMap<>();
                for (Container c : w.allContainers()) {
                    String cn = (w.isInit(c) ? "init:" : "") + c.getName();
                    Map<String, Map<String, BigDecimal>> eff = effective(c, containerItems);
                    Map<String, BigDecimal> req = eff.get("requests");
                    Map<String, BigDecimal> lim = eff.get("limits");
                    for (LimitRangeItem item : containerItems) {
                        checkItem(profile, w.id(), cn, where, item, req, lim, f);
                    }
                    if (!w.isInit(c)) {
                        req.forEach((k, v) -> podReq.merge(k, v, BigDecimal::add));
                        lim.forEach((k, v) -> podLim.merge(k, v, BigDecimal::add));
                    }
                }
                for (LimitRangeItem item : podItems) {
                    checkItem(profile, w.id(), "(pod)", where, item, podReq, podLim, f);
                }
            }
            List<PersistentVolumeClaim> claims = new java.util.ArrayList<>(Rendered.of(profile, PersistentVolumeClaim.class));
            Rendered.workloads(profile).forEach(w -> claims.addAll(w.claimTemplates()));
            for (PersistentVolumeClaim pvc : claims) {
                Map<String, BigDecimal> req = new HashMap<>();
                Map<String, BigDecimal> lim = new HashMap<>();
                if (pvc.getSpec().getResources() != null) {
                    nonNull(pvc.getSpec().getResources().getRequests()).forEach((k, v) -> req.put(k, amount(v)));
                    nonNull(pvc.getSpec().getResources().getLimits()).forEach((k, v) -> lim.put(k, amount(v)));
                }
                for (LimitRangeItem item : pvcItems) {
                    checkItem(profile, "PersistentVolumeClaim/" + pvc.getMetadata().getName(), null, where, item, req, lim, f);
                }
            }
        }
    }

    static void checkItem(String profile, String obj, String cn, String where, LimitRangeItem item,
                          Map<String, BigDecimal> req, Map<String, BigDecimal> lim, Findings f) {
        nonNull(item.getMin()).forEach((res, q) -> {
            BigDecimal min = amount(q);
            BigDecimal r = req.get(res);
            if (r == null) f.add(profile, obj, cn, "limitrange-min", where + ": minimum " + res + " " + q + " but no request and no default");
            else if (r.compareTo(min) < 0) f.add(profile, obj, cn, "limitrange-min", where + ": " + res + " request " + r.toPlainString() + " < min " + q);
            BigDecimal l = lim.get(res);
            if (l != null && l.compareTo(min) < 0) f.add(profile, obj, cn, "limitrange-min", where + ": " + res + " limit " + l.toPlainString() + " < min " + q);
        });
        nonNull(item.getMax()).forEach((res, q) -> {
            BigDecimal max = amount(q);
            BigDecimal l = lim.get(res);
            if (l == null) f.add(profile, obj, cn, "limitrange-max", where + ": maximum " + res + " " + q + " but no limit and no default");
            else if (l.compareTo(max) > 0) f.add(profile, obj, cn, "limitrange-max", where + ": " + res + " limit " + l.toPlainString() + " > max " + q);
        });
        nonNull(item.getMaxLimitRequestRatio()).forEach((res, q) -> {
            BigDecimal ratio = amount(q);
            BigDecimal l = lim.get(res);
            BigDecimal r = req.get(res);
            if (l == null || r == null || r.signum() == 0) {
                f.add(profile, obj, cn, "limitrange-ratio", where + ": maxLimitRequestRatio " + res + " needs a request and a limit");
            } else if (l.divide(r, 6, RoundingMode.HALF_UP).compareTo(ratio) > 0) {
                f.add(profile, obj, cn, "limitrange-ratio", where + ": " + res + " limit/request " + l.divide(r, 2, RoundingMode.HALF_UP) + " > " + q);
            }
        });
    }

    // ------------------------------------------------------------------ ResourceQuota

    static void quota(String profile, Findings f) {
        for (ResourceQuota rq : Rendered.of(profile, ResourceQuota.class)) {
            String ns = rq.getMetadata().getNamespace();
            Map<String, BigDecimal> used = new LinkedHashMap<>();
            List<LimitRangeItem> containerItems = Rendered.of(profile, LimitRange.class).stream()
                    .filter(lr -> Objects.equals(lr.getMetadata().getNamespace(), ns))
                    .flatMap(lr -> nonNull(lr.getSpec().getLimits()).stream()).filter(i -> "Container".equals(i.getType())).toList();
            BigDecimal pods = BigDecimal.ZERO;
            BigDecimal storage = BigDecimal.ZERO;
            BigDecimal claims = BigDecimal.ZERO;
            for (Rendered.Workload w : Rendered.workloads(profile)) {
                if (!Objects.equals(w.namespace(), ns)) continue;
                BigDecimal n = BigDecimal.valueOf(w.pods());
                pods = pods.add(n);
                // A pod's quota usage: sum over app containers (and restartable init sidecars), or the
                // largest init container if that is larger.
                Map<String, BigDecimal> podReq = new HashMap<>();
                Map<String, BigDecimal> podLim = new HashMap<>();
                Map<String, BigDecimal> initReq = new HashMap<>();
                Map<String, BigDecimal> initLim = new HashMap<>();
                for (Container c : w.allContainers()) {
                    Map<String, Map<String, BigDecimal>> eff = effective(c, containerItems);
                    boolean sidecar = "Always".equals(c.getRestartPolicy());
                    if (w.isInit(c) && !sidecar) {
                        eff.get("requests").forEach((k, v) -> initReq.merge(k, v, BigDecimal::max));
                        eff.get("limits").forEach((k, v) -> initLim.merge(k, v, BigDecimal::max));
                    } else {
                        eff.get("requests").forEach((k, v) -> podReq.merge(k, v, BigDecimal::add));
                        eff.get("limits").forEach((k, v) -> podLim.merge(k, v, BigDecimal::add));
                    }
                }
                initReq.forEach((k, v) -> podReq.merge(k, v, BigDecimal::max));
                initLim.forEach((k, v) -> podLim.merge(k, v, BigDecimal::max));
                podReq.forEach((k, v) -> used.merge("requests." + k, v.multiply(n), BigDecimal::add));
                podLim.forEach((k, v) -> used.merge("limits." + k, v.multiply(n), BigDecimal::add));
                for (PersistentVolumeClaim t : w.claimTemplates()) {
                    claims = claims.add(n);
                    storage = storage.add(pvcStorage(t).multiply(n));
                }
            }
            for (PersistentVolumeClaim pvc : Rendered.of(profile, PersistentVolumeClaim.class)) {
                if (!Objects.equals(pvc.getMetadata().getNamespace(), ns)) continue;
                claims = claims.add(BigDecimal.ONE);
                storage = storage.add(pvcStorage(pvc));
            }
            used.put("pods", pods);
            used.put("requests.storage", storage);
            used.put("persistentvolumeclaims", claims);
            List<Service> services = Rendered.of(profile, Service.class).stream().filter(s -> Objects.equals(s.getMetadata().getNamespace(), ns)).toList();
            used.put("services", BigDecimal.valueOf(services.size()));
            used.put("services.nodeports", BigDecimal.valueOf(services.stream().filter(s -> "NodePort".equals(s.getSpec().getType()) || "LoadBalancer".equals(s.getSpec().getType())).count()));
            used.put("services.loadbalancers", BigDecimal.valueOf(services.stream().filter(s -> "LoadBalancer".equals(s.getSpec().getType())).count()));
            used.put("configmaps", BigDecimal.valueOf(Rendered.of(profile, ConfigMap.class).stream().filter(c -> Objects.equals(c.getMetadata().getNamespace(), ns)).count()));
            used.put("secrets", BigDecimal.valueOf(Rendered.of(profile, io.fabric8.kubernetes.api.model.Secret.class).stream().filter(c -> Objects.equals(c.getMetadata().getNamespace(), ns)).count()));
            // cpu and memory without a prefix mean requests.
            used.put("cpu", used.getOrDefault("requests.cpu", BigDecimal.ZERO));
            used.put("memory", used.getOrDefault("requests.memory", BigDecimal.ZERO));
            used.put("ephemeral-storage", used.getOrDefault("requests.ephemeral-storage", BigDecimal.ZERO));
            if (!MutantCorpusTest.isMutant(profile)) System.out.println("[quota] " + profile + " " + Rendered.id(rq) + ": " + nonNull(rq.getSpec().getHard()).keySet().stream()
                    .map(k -> k + " " + (used.get(k) == null ? "?" : used.get(k).stripTrailingZeros().toPlainString()) + "/" + rq.getSpec().getHard().get(k)).toList());
            nonNull(rq.getSpec().getHard()).forEach((res, q) -> {
                BigDecimal u = used.get(res);
                if (u == null) {
                    f.add(profile, Rendered.id(rq), "quota-unchecked", "hard limit " + res + " is not simulated by this test");
                } else if (u.compareTo(amount(q)) > 0) {
                    f.add(profile, Rendered.id(rq), "quota-" + res, "used " + u.stripTrailingZeros().toPlainString() + " > hard " + q);
                }
            });
        }
    }

    static BigDecimal pvcStorage(PersistentVolumeClaim pvc) {
        if (pvc.getSpec().getResources() == null) return BigDecimal.ZERO;
        Quantity q = nonNull(pvc.getSpec().getResources().getRequests()).get("storage");
        return q == null ? BigDecimal.ZERO : amount(q);
    }

    // ------------------------------------------------------------------ containers, probes

    static void containerResources(String profile, Findings f) {
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            for (Container c : w.allContainers()) {
                String cn = (w.isInit(c) ? "init:" : "") + c.getName();
                var r = c.getResources();
                for (String res : List.of("cpu", "memory")) {
                    if (r == null || !nonNull(r.getRequests()).containsKey(res)) f.add(profile, w.id(), cn, "resources", "no " + res + " request");
                    if (r == null || !nonNull(r.getLimits()).containsKey(res)) f.add(profile, w.id(), cn, "resources", "no " + res + " limit");
                }
                if (r != null) {
                    r.getRequests().forEach((k, v) -> {
                        Quantity l = nonNull(r.getLimits()).get(k);
                        if (l != null && amount(v).compareTo(amount(l)) > 0) {
                            f.add(profile, w.id(), cn, "resources", k + " request " + v + " > limit " + l);
                        }
                    });
                }
            }
        }
    }

    static void probes(String profile, Findings f) {
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            for (Container c : w.allContainers()) {
                String cn = (w.isInit(c) ? "init:" : "") + c.getName();
                Map<String, Probe> probes = new LinkedHashMap<>();
                probes.put("livenessProbe", c.getLivenessProbe());
                probes.put("readinessProbe", c.getReadinessProbe());
                probes.put("startupProbe", c.getStartupProbe());
                probes.forEach((kind, p) -> {
                    if (p == null) return;
                    IntOrString port = p.getHttpGet() != null ? p.getHttpGet().getPort()
                            : p.getTcpSocket() != null ? p.getTcpSocket().getPort() : null;
                    if (p.getGrpc() != null) port = new IntOrString(p.getGrpc().getPort());
                    if (port != null && !hasPort(c, port)) {
                        f.add(profile, w.id(), cn, "probe-port", kind + " port " + show(port) + " is not a port of the container " + portsOf(c));
                    }
                });
            }
        }
    }

    static boolean hasPort(Container c, IntOrString port) {
        for (ContainerPort p : nonNull(c.getPorts())) {
            if (port.getStrVal() != null ? port.getStrVal().equals(p.getName()) : Objects.equals(port.getIntVal(), p.getContainerPort())) {
                return true;
            }
        }
        return false;
    }

    static String show(IntOrString p) {
        return p.getStrVal() != null ? p.getStrVal() : String.valueOf(p.getIntVal());
    }

    static List<String> portsOf(Container c) {
        return nonNull(c.getPorts()).stream().map(p -> p.getName() + "=" + p.getContainerPort()).toList();
    }

    // ------------------------------------------------------------------ Services, StatefulSets

    static void services(String profile, Findings f) {
        List<Rendered.Workload> workloads = Rendered.workloads(profile);
        for (Service s : Rendered.of(profile, Service.class)) {
            Map<String, String> sel = s.getSpec().getSelector();
            if (sel == null || sel.isEmpty()) {
                if (!"ExternalName".equals(s.getSpec().getType())) f.add(profile, Rendered.id(s), "service-selector", "no selector");
                continue;
            }
            List<Rendered.Workload> selected = workloads.stream()
                    .filter(w -> Objects.equals(w.namespace(), s.getMetadata().getNamespace()) && w.selectedBy(sel)).toList();
            if (selected.isEmpty()) {
                f.add(profile, Rendered.id(s), "service-selector", "selector " + sel + " matches no rendered pod template");
                continue;
            }
            // A Service is for long-running pods; one that also selects Job/CronJob pods sends
            // traffic to them whenever a port resolves there (a numeric targetPort always does).
            List<String> batch = selected.stream().filter(Rendered.Workload::isBatch).map(Rendered.Workload::id).toList();
            if (!batch.isEmpty()) {
                f.add(profile, Rendered.id(s), "service-selects-batch-pods", "selector " + sel + " also selects the pods of " + batch);
            }
            for (ServicePort sp : nonNull(s.getSpec().getPorts())) {
                IntOrString target = sp.getTargetPort() == null ? new IntOrString(sp.getPort()) : sp.getTargetPort();
                // The endpoints controller resolves a named targetPort per pod and leaves out pods that
                // lack it; so the name must exist on at least one selected pod template, or the port
                // has no endpoints at all.
                boolean found = selected.stream().flatMap(w -> nonNull(w.spec().getContainers()).stream()).anyMatch(c -> hasPort(c, target));
                if (!found) {
                    f.add(profile, Rendered.id(s), "service-target-port", "targetPort " + show(target)
                            + (target.getStrVal() != null ? " is no container port name" : " is not declared as a containerPort")
                            + " of the selected pods " + selected.stream().map(Rendered.Workload::id).toList());
                }
            }
        }
    }

    static void statefulSets(String profile, Findings f) {
        Map<String, Service> services = new HashMap<>();
        Rendered.of(profile, Service.class).forEach(s -> services.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s));
        for (StatefulSet s : Rendered.of(profile, StatefulSet.class)) {
            String sn = s.getSpec().getServiceName();
            Service svc = sn == null ? null : services.get(s.getMetadata().getNamespace() + "/" + sn);
            if (svc == null) {
                f.add(profile, Rendered.id(s), "statefulset-service", "serviceName " + sn + " is not a rendered Service");
            } else if (!"None".equals(svc.getSpec().getClusterIP())) {
                f.add(profile, Rendered.id(s), "statefulset-service", "serviceName " + sn + " is not headless (clusterIP " + svc.getSpec().getClusterIP() + ")");
            } else if (!selects(svc.getSpec().getSelector(), nonNull(s.getSpec().getTemplate().getMetadata().getLabels()))) {
                f.add(profile, Rendered.id(s), "statefulset-service", "headless Service " + sn + " does not select the StatefulSet's pods");
            }
            selectorMatchesTemplate(profile, s, s.getSpec().getSelector(), s.getSpec().getTemplate().getMetadata().getLabels(), f);
        }
        for (Deployment d : Rendered.of(profile, Deployment.class)) {
            selectorMatchesTemplate(profile, d, d.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels(), f);
        }
    }

    static void selectorMatchesTemplate(String profile, HasMetadata o, io.fabric8.kubernetes.api.model.LabelSelector sel,
                                        Map<String, String> labels, Findings f) {
        if (sel == null || (nonNull(sel.getMatchLabels()).isEmpty() && nonNull(sel.getMatchExpressions()).isEmpty())) {
            f.add(profile, Rendered.id(o), "selector", "empty selector");
        } else if (!nonNull(sel.getMatchExpressions()).isEmpty()) {
            f.add(profile, Rendered.id(o), "selector", "matchExpressions are not simulated");
        } else if (!selects(sel.getMatchLabels(), nonNull(labels))) {
            f.add(profile, Rendered.id(o), "selector", "selector " + sel.getMatchLabels() + " does not match template labels " + labels);
        }
    }

    // ------------------------------------------------------------------ volume and env references

    /** Secrets are never rendered (they exist before redisgen's output is applied): these are listed, not resolved. */
    static final Map<String, Set<String>> EXTERNAL_SECRETS = new java.util.concurrent.ConcurrentHashMap<>();

    static void volumeReferences(String profile, Findings f) {
        Map<String, ConfigMap> configMaps = new HashMap<>();
        Rendered.of(profile, ConfigMap.class).forEach(c -> configMaps.put(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName(), c));
        Set<String> pvcs = new TreeSet<>();
        Rendered.of(profile, PersistentVolumeClaim.class).forEach(p -> pvcs.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()));
        Set<String> secrets = new TreeSet<>();
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            String ns = w.namespace();
            Set<String> volumeNames = new TreeSet<>();
            for (Volume v : nonNull(w.spec().getVolumes())) {
                volumeNames.add(v.getName());
                if (v.getConfigMap() != null) {
                    configMapRef(profile, w.id(), "volume " + v.getName(), configMaps.get(ns + "/" + v.getConfigMap().getName()),
                            v.getConfigMap().getName(), v.getConfigMap().getOptional(),
                            nonNull(v.getConfigMap().getItems()).stream().map(i -> i.getKey()).toList(), f);
                }
                if (v.getProjected() != null) {
                    for (VolumeProjection p : nonNull(v.getProjected().getSources())) {
                        if (p.getConfigMap() != null) {
                            configMapRef(profile, w.id(), "volume " + v.getName(), configMaps.get(ns + "/" + p.getConfigMap().getName()),
                                    p.getConfigMap().getName(), p.getConfigMap().getOptional(),
                                    nonNull(p.getConfigMap().getItems()).stream().map(i -> i.getKey()).toList(), f);
                        }
                        if (p.getSecret() != null) secrets.add(ns + "/" + p.getSecret().getName());
                    }
                }
                if (v.getSecret() != null) secrets.add(ns + "/" + v.getSecret().getSecretName());
                if (v.getPersistentVolumeClaim() != null && !pvcs.contains(ns + "/" + v.getPersistentVolumeClaim().getClaimName())) {
                    f.add(profile, w.id(), "volume-ref", "volume " + v.getName() + " claims PVC " + v.getPersistentVolumeClaim().getClaimName() + ", which is not rendered");
                }
            }
            w.claimTemplates().forEach(t -> volumeNames.add(t.getMetadata().getName()));
            for (Container c : w.allContainers()) {
                String cn = (w.isInit(c) ? "init:" : "") + c.getName();
                for (var m : nonNull(c.getVolumeMounts())) {
                    if (!volumeNames.contains(m.getName())) f.add(profile, w.id(), cn, "volume-mount", "mounts " + m.getName() + ", which is no volume of the pod");
                }
                for (EnvVar e : nonNull(c.getEnv())) {
                    if (e.getValueFrom() == null) continue;
                    var cmk = e.getValueFrom().getConfigMapKeyRef();
                    if (cmk != null) {
                        configMapRef(profile, w.id(), "env " + e.getName(), configMaps.get(ns + "/" + cmk.getName()), cmk.getName(), cmk.getOptional(), List.of(cmk.getKey()), f);
                    }
                    var sk = e.getValueFrom().getSecretKeyRef();
                    if (sk != null) secrets.add(ns + "/" + sk.getName() + "[" + sk.getKey() + "]");
                }
                for (EnvFromSource e : nonNull(c.getEnvFrom())) {
                    if (e.getConfigMapRef() != null) {
                        configMapRef(profile, w.id(), "envFrom", configMaps.get(ns + "/" + e.getConfigMapRef().getName()), e.getConfigMapRef().getName(), e.getConfigMapRef().getOptional(), List.of(), f);
                    }
                    if (e.getSecretRef() != null) secrets.add(ns + "/" + e.getSecretRef().getName());
                }
            }
        }
        if (!MutantCorpusTest.isMutant(profile)) {
            EXTERNAL_SECRETS.put(profile, secrets);
            System.out.println("[external secrets] " + profile + ": " + secrets);
        }
    }

    static void configMapRef(String profile, String obj, String what, ConfigMap cm, String name, Boolean optional, List<String> keys, Findings f) {
        if (cm == null) {
            if (!Boolean.TRUE.equals(optional)) f.add(profile, obj, "configmap-ref", what + " references ConfigMap " + name + ", which is not rendered");
            return;
        }
        for (String k : keys) {
            if (!nonNull(cm.getData()).containsKey(k) && !nonNull(cm.getBinaryData()).containsKey(k)) {
                f.add(profile, obj, "configmap-ref", what + " references key " + k + " missing from ConfigMap " + name);
            }
        }
    }

    // ------------------------------------------------------------------ PDBs

    static void disruptionBudgets(String profile, Findings f) {
        List<Rendered.Workload> workloads = Rendered.workloads(profile).stream()
                .filter(w -> w.owner() instanceof StatefulSet || w.owner() instanceof Deployment).toList();
        for (PodDisruptionBudget pdb : Rendered.of(profile, PodDisruptionBudget.class)) {
            var sel = pdb.getSpec().getSelector();
            Map<String, String> ml = sel == null ? Map.of() : nonNull(sel.getMatchLabels());
            List<Rendered.Workload> matched = workloads.stream()
                    .filter(w -> Objects.equals(w.namespace(), pdb.getMetadata().getNamespace()) && w.selectedBy(ml)).toList();
            if (matched.isEmpty()) {
                f.add(profile, Rendered.id(pdb), "pdb-selector", "selector " + ml + " matches no rendered workload");
                continue;
            }
            int replicas = matched.stream().mapToInt(Rendered.Workload::pods).sum();
            IntOrString min = pdb.getSpec().getMinAvailable();
            IntOrString maxU = pdb.getSpec().getMaxUnavailable();
            if (min != null) {
                int m = min.getIntVal() != null ? min.getIntVal() : percent(min.getStrVal(), replicas, true);
                if (m >= replicas) f.add(profile, Rendered.id(pdb), "pdb-min-available", "minAvailable " + show(min) + " >= " + replicas + " pods: blocks every drain");
            }
            if (maxU != null) {
                int m = maxU.getIntVal() != null ? maxU.getIntVal() : percent(maxU.getStrVal(), replicas, true);
                if (m <= 0) f.add(profile, Rendered.id(pdb), "pdb-max-unavailable", "maxUnavailable " + show(maxU) + ": blocks every drain");
            }
            if (min == null && maxU == null) f.add(profile, Rendered.id(pdb), "pdb", "neither minAvailable nor maxUnavailable");
        }
    }

    static int percent(String p, int of, boolean roundUp) {
        double v = Double.parseDouble(p.replace("%", "")) * of / 100.0;
        return (int) (roundUp ? Math.ceil(v) : Math.floor(v));
    }

    // ------------------------------------------------------------------ names

    /** Names, labels, annotations and ports as the API server validates them: {@link Validation}, the one place redisgen keeps those checks. */
    static void names(String profile, Findings f) {
        for (HasMetadata o : Rendered.objects(profile)) {
            String n = o.getMetadata().getName();
            // Services are DNS-1035 labels; Namespaces and StatefulSets (whose pods' host names they start) DNS-1123 labels;
            // a CronJob leaves 11 characters for its Jobs; everything else is a DNS-1123 subdomain.
            List<String> problems = n == null ? List.of("no name")
                    : o instanceof Service ? Validation.isDNS1035Label(n)
                    : o instanceof io.fabric8.kubernetes.api.model.Namespace || o instanceof StatefulSet ? Validation.isDNS1123Label(n)
                    : Validation.isDNS1123Subdomain(n);
            if (n != null && o instanceof io.fabric8.kubernetes.api.model.batch.v1.CronJob && n.length() > Validation.CRONJOB_NAME_MAX_LENGTH) {
                problems = List.of("longer than 52");
            }
            if (!problems.isEmpty()) {
                f.add(profile, Rendered.id(o), "name", "name '" + n + "': " + problems);
            }
            Validation.validateLabels(nonNull(o.getMetadata().getLabels())).forEach((k, v) -> f.add(profile, Rendered.id(o), "label", k + ": " + v));
            labelsAndAnnotations(profile, Rendered.id(o), "", o.getMetadata().getAnnotations(), f);
        }
        for (Service s : Rendered.of(profile, Service.class)) {
            for (ServicePort sp : nonNull(s.getSpec().getPorts())) {
                if (sp.getName() != null && !Validation.isDNS1123Label(sp.getName()).isEmpty()) {
                    f.add(profile, Rendered.id(s), "port-name", "Service port name " + sp.getName());
                }
                if (!Validation.isValidPortNum(sp.getPort()).isEmpty()) {
                    f.add(profile, Rendered.id(s), "port", "Service port " + sp.getPort());
                }
                if (sp.getTargetPort() != null && sp.getTargetPort().getStrVal() != null && !ianaSvcName(sp.getTargetPort().getStrVal())) {
                    f.add(profile, Rendered.id(s), "port-name", "targetPort name " + sp.getTargetPort().getStrVal() + " is no IANA_SVC_NAME (≤ 15)");
                }
            }
            if (nonNull(s.getSpec().getPorts()).size() > 1 && nonNull(s.getSpec().getPorts()).stream().anyMatch(sp -> sp.getName() == null)) {
                f.add(profile, Rendered.id(s), "port-name", "a Service with several ports must name each");
            }
        }
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            Set<String> seen = new TreeSet<>();
            Validation.validateLabels(w.labels()).forEach((k, v) -> f.add(profile, w.id(), "pod-label", k + ": " + v));
            labelsAndAnnotations(profile, w.id(), "pod ", w.template().getMetadata().getAnnotations(), f);
            for (Container c : w.allContainers()) {
                String cn = (w.isInit(c) ? "init:" : "") + c.getName();
                if (!seen.add(c.getName())) f.add(profile, w.id(), cn, "container-name", "duplicate container name");
                if (!Validation.isDNS1123Label(c.getName()).isEmpty()) f.add(profile, w.id(), cn, "container-name", "not a DNS-1123 label");
                if (c.getImage() == null || !Validation.isValidImageReference(c.getImage()).isEmpty()) {
                    f.add(profile, w.id(), cn, "image", "image " + c.getImage() + ": " + (c.getImage() == null ? "none" : Validation.isValidImageReference(c.getImage())));
                }
                for (ContainerPort p : nonNull(c.getPorts())) {
                    if (p.getName() != null && !ianaSvcName(p.getName())) {
                        f.add(profile, w.id(), cn, "port-name", "container port name " + p.getName() + " is no IANA_SVC_NAME (≤ 15 chars, a letter, no --)");
                    }
                    if (!Validation.isValidPortNum(p.getContainerPort()).isEmpty()) {
                        f.add(profile, w.id(), cn, "port", "containerPort " + p.getContainerPort());
                    }
                }
            }
            for (Volume v : nonNull(w.spec().getVolumes())) {
                if (!Validation.isDNS1123Label(v.getName()).isEmpty()) f.add(profile, w.id(), "volume-name", v.getName());
            }
            if (w.owner() instanceof StatefulSet) {
                // The last pod's host name, and its label controller-revision-hash = <statefulset>-<10 characters>.
                String pod = w.owner().getMetadata().getName() + "-" + (w.pods() - 1);
                if (!Validation.isDNS1123Label(pod).isEmpty()) f.add(profile, w.id(), "pod-name", pod);
                if (!Validation.isValidLabelValue(w.owner().getMetadata().getName() + "-0123456789").isEmpty()) {
                    f.add(profile, w.id(), "controller-revision-hash", "the StatefulSet name leaves no room for the revision hash label");
                }
                for (var claim : w.claimTemplates()) {
                    if (!Validation.isDNS1123Subdomain(claim.getMetadata().getName() + "-" + pod).isEmpty()) {
                        f.add(profile, w.id(), "claim-name", claim.getMetadata().getName() + "-" + pod);
                    }
                }
            }
        }
    }

    /**
     * What the API server validates in selectors and scheduling fields: label selector keys, values and operators
     * (NetworkPolicy pod and namespace selectors, PDB and workload selectors, anti-affinity and spread terms), topology
     * keys, maxSkew and whenUnsatisfiable, NetworkPolicy ports and CIDRs, CronJob schedules and time zones.
     */
    static void selectorsAndSchedules(String profile, Findings f) {
        for (NetworkPolicy np : Rendered.of(profile, NetworkPolicy.class)) {
            String id = Rendered.id(np);
            selector(profile, id, "podSelector", np.getSpec().getPodSelector(), f);
            List<NetworkPolicyPeer> peers = new ArrayList<>();
            List<NetworkPolicyPort> ports = new ArrayList<>();
            nonNull(np.getSpec().getIngress()).forEach(r -> { peers.addAll(nonNull(r.getFrom())); ports.addAll(nonNull(r.getPorts())); });
            nonNull(np.getSpec().getEgress()).forEach(r -> { peers.addAll(nonNull(r.getTo())); ports.addAll(nonNull(r.getPorts())); });
            for (NetworkPolicyPeer peer : peers) {
                selector(profile, id, "peer podSelector", peer.getPodSelector(), f);
                selector(profile, id, "peer namespaceSelector", peer.getNamespaceSelector(), f);
                if (peer.getIpBlock() != null && !Validation.isValidCIDR(peer.getIpBlock().getCidr()).isEmpty()) {
                    f.add(profile, id, "ip-block", peer.getIpBlock().getCidr());
                }
                if (peer.getNamespaceSelector() != null) {
                    // The namespaces a peer names by kubernetes.io/metadata.name must be namespace names to match anything.
                    nonNull(peer.getNamespaceSelector().getMatchExpressions()).stream().filter(e -> "kubernetes.io/metadata.name".equals(e.getKey()))
                            .flatMap(e -> nonNull(e.getValues()).stream()).filter(v -> !Validation.isDNS1123Label(v).isEmpty())
                            .forEach(v -> f.add(profile, id, "namespace-selector", "'" + v + "' is no namespace name"));
                }
            }
            for (NetworkPolicyPort port : ports) {
                if (port.getPort() != null && port.getPort().getIntVal() != null && !Validation.isValidPortNum(port.getPort().getIntVal()).isEmpty()) {
                    f.add(profile, id, "port", "port " + port.getPort().getIntVal());
                }
            }
        }
        for (PodDisruptionBudget pdb : Rendered.of(profile, PodDisruptionBudget.class)) {
            selector(profile, Rendered.id(pdb), "selector", pdb.getSpec().getSelector(), f);
        }
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            if (w.owner() instanceof StatefulSet s) selector(profile, w.id(), "selector", s.getSpec().getSelector(), f);
            if (w.owner() instanceof Deployment d) selector(profile, w.id(), "selector", d.getSpec().getSelector(), f);
            var affinity = w.spec().getAffinity();
            if (affinity != null && affinity.getPodAntiAffinity() != null) {
                var aa = affinity.getPodAntiAffinity();
                List<io.fabric8.kubernetes.api.model.PodAffinityTerm> terms = new ArrayList<>(nonNull(aa.getRequiredDuringSchedulingIgnoredDuringExecution()));
                nonNull(aa.getPreferredDuringSchedulingIgnoredDuringExecution()).forEach(t -> {
                    terms.add(t.getPodAffinityTerm());
                    if (t.getWeight() == null || t.getWeight() < 1 || t.getWeight() > 100) f.add(profile, w.id(), "affinity-weight", "" + t.getWeight());
                });
                for (var t : terms) {
                    selector(profile, w.id(), "anti-affinity", t.getLabelSelector(), f);
                    if (t.getTopologyKey() == null || !Validation.isQualifiedName(t.getTopologyKey()).isEmpty()) {
                        f.add(profile, w.id(), "topology-key", "anti-affinity topologyKey " + t.getTopologyKey());
                    }
                }
            }
            Set<String> spread = new TreeSet<>();
            for (var c : nonNull(w.spec().getTopologySpreadConstraints())) {
                selector(profile, w.id(), "topology spread", c.getLabelSelector(), f);
                if (c.getTopologyKey() == null || !Validation.isQualifiedName(c.getTopologyKey()).isEmpty()) {
                    f.add(profile, w.id(), "topology-key", "spread topologyKey " + c.getTopologyKey());
                }
                if (c.getMaxSkew() == null || c.getMaxSkew() < 1) f.add(profile, w.id(), "max-skew", "maxSkew " + c.getMaxSkew());
                if (!Set.of("DoNotSchedule", "ScheduleAnyway").contains(c.getWhenUnsatisfiable())) {
                    f.add(profile, w.id(), "when-unsatisfiable", c.getWhenUnsatisfiable());
                }
                if (!spread.add(c.getTopologyKey() + "/" + c.getWhenUnsatisfiable())) {
                    f.add(profile, w.id(), "spread-duplicate", "two constraints for " + c.getTopologyKey() + " " + c.getWhenUnsatisfiable());
                }
            }
            if (w.owner() instanceof io.fabric8.kubernetes.api.model.batch.v1.CronJob cj) {
                List<String> schedule = Validation.isValidCronSchedule(cj.getSpec().getSchedule());
                if (!schedule.isEmpty()) f.add(profile, w.id(), "schedule", cj.getSpec().getSchedule() + ": " + schedule);
                if (cj.getSpec().getTimeZone() != null && !Validation.isValidTimeZone(cj.getSpec().getTimeZone()).isEmpty()) {
                    f.add(profile, w.id(), "time-zone", cj.getSpec().getTimeZone());
                }
            }
        }
    }

    static void selector(String profile, String obj, String what, io.fabric8.kubernetes.api.model.LabelSelector s, Findings f) {
        if (s == null) {
            return;
        }
        Validation.validateLabels(nonNull(s.getMatchLabels())).forEach((k, v) -> f.add(profile, obj, what + "-labels", k + ": " + v));
        for (var e : nonNull(s.getMatchExpressions())) {
            if (!Validation.isQualifiedName(e.getKey()).isEmpty()) f.add(profile, obj, what + "-key", e.getKey());
            boolean set = Set.of("In", "NotIn").contains(e.getOperator());
            if (!set && !Set.of("Exists", "DoesNotExist").contains(e.getOperator())) f.add(profile, obj, what + "-operator", e.getOperator());
            if (set && nonNull(e.getValues()).isEmpty()) f.add(profile, obj, what + "-values", e.getKey() + " " + e.getOperator() + " without values");
            nonNull(e.getValues()).stream().filter(v -> !Validation.isValidLabelValue(v).isEmpty())
                    .forEach(v -> f.add(profile, obj, what + "-values", "'" + v + "' is no label value"));
        }
    }

    static void labelsAndAnnotations(String profile, String obj, String what, Map<String, String> annotations, Findings f) {
        nonNull(annotations).keySet().forEach(k -> {
            if (!Validation.isValidAnnotationKey(k).isEmpty()) f.add(profile, obj, what + "annotation-key", k);
        });
        if (!Validation.validateAnnotationsSize(nonNull(annotations)).isEmpty()) f.add(profile, obj, what + "annotations-size", "too large");
    }

    static boolean ianaSvcName(String n) {
        return Validation.isValidPortName(n).isEmpty();
    }
}
