package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.profile.DeploymentSpec;
import dev.redisgen.profile.SourceMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Extra labels and annotations may not replace the ones redisgen sets. The StatefulSet and Deployment selectors,
 * the Services, the NetworkPolicy, the PDBs and the anti-affinity all select pods by app.kubernetes.io/instance
 * and component (name for the metrics Service): a pod template carrying another value would be selected by none
 * of them, and a StatefulSet whose template does not match its selector is rejected. Controllers add their own
 * pod labels (pod-name, which per-pod Services select; the Job controller's), which a template must not preset.
 */
final class SelectorLabels implements Rule {
    /** What redisgen sets on every object and pod template, and what selects pods. */
    private static final Map<String, String> OURS = Map.of(
            "app.kubernetes.io/instance", "the deployment name; every selector, the NetworkPolicy and the PDB match pods by it",
            "app.kubernetes.io/component", "redis, sentinel, proxy...; the selectors tell the workloads apart by it",
            "app.kubernetes.io/name", "the metrics Service selects the exporters' pods by it",
            "app.kubernetes.io/part-of", "the profile name, on every object redisgen renders",
            "app.kubernetes.io/managed-by", "`redisgen`, on every object it renders");
    /** Labels a controller puts on the pods it creates. */
    private static final Map<String, String> CONTROLLERS = Map.of(
            "statefulset.kubernetes.io/pod-name", "the StatefulSet controller sets it; per-pod Services select on it",
            "apps.kubernetes.io/pod-index", "the StatefulSet controller sets it",
            "controller-revision-hash", "the StatefulSet controller sets it",
            "pod-template-hash", "the Deployment controller sets it",
            "batch.kubernetes.io/job-name", "the Job controller sets it and selects the Job's pods by it",
            "job-name", "the Job controller sets it and selects the Job's pods by it",
            "batch.kubernetes.io/controller-uid", "the Job controller sets it and selects the Job's pods by it",
            "controller-uid", "the Job controller sets it and selects the Job's pods by it");
    /** redisgen's annotation on the pod templates of servers: the rollout on a config change depends on it. */
    private static final String CHECKSUM = "checksum/config";
    /** The Namespace labels redisgen derives from `podSecurity`. */
    private static final List<String> POD_SECURITY = List.of("pod-security.kubernetes.io/enforce", "pod-security.kubernetes.io/audit",
            "pod-security.kubernetes.io/warn", "kubernetes.io/metadata.name");

    @Override
    public String id() {
        return "selector-labels";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (int i = 0; i < ctx.profile().deployments().size(); i++) {
            DeploymentSpec d = ctx.profile().deployments().get(i);
            String p = "/deployments/" + i;
            for (String key : d.podLabels().keySet()) {
                String why = OURS.containsKey(key) ? OURS.get(key) : CONTROLLERS.get(key);
                if (why != null) {
                    out.add(refuse(ctx, p + "/podLabels", key, "pod label", why));
                }
            }
            for (String key : d.services().labels().keySet()) {
                if (OURS.containsKey(key)) {
                    out.add(refuse(ctx, p + "/services/labels", key, "Service label", OURS.get(key)));
                }
            }
            if (d.podAnnotations().containsKey(CHECKSUM)) {
                out.add(refuse(ctx, p + "/podAnnotations", CHECKSUM, "pod annotation",
                        "the hash of the mounted ConfigMaps, which rolls the pods when their configuration changes"));
            }
        }
        if (ctx.profile().namespace().create()) {
            for (String key : ctx.profile().namespace().labels().keySet()) {
                if (POD_SECURITY.contains(key)) {
                    out.add(Diagnostic.error(id(), "Namespace label '" + key + "' is redisgen's: "
                                    + (key.startsWith("pod-security") ? "it comes from `podSecurity`" : "the API server sets it to the namespace name"),
                            key.startsWith("pod-security") ? "remove it and set `namespace.podSecurity` instead" : "remove it",
                            ctx.atKey("/namespace/labels" + SourceMap.pointer(key))));
                }
            }
        }
        return out;
    }

    private Diagnostic refuse(Context ctx, String base, String key, String what, String why) {
        return Diagnostic.error(id(), what + " '" + key + "' is one redisgen sets (" + why + "); another value would break that",
                "remove it; use a key of your own, e.g. `example.com/team`", ctx.atKey(base + SourceMap.pointer(key)));
    }
}
