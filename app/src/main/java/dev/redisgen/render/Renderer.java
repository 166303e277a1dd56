package dev.redisgen.render;

import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** Renders a plan into fabric8 objects, one renderer per kind. Order here is irrelevant: emit sorts. */
public final class Renderer {
    private Renderer() {
    }

    public static List<HasMetadata> render(Plan plan) {
        String ns = plan.namespace().name();
        List<HasMetadata> out = new ArrayList<>(NamespaceRenderer.render(plan));
        for (RedisPlan d : plan.deployments()) {
            List<HasMetadata> mine = new ArrayList<>(ConfigMapRenderer.render(d, ns));
            mine.addAll(ServiceRenderer.render(d, ns));
            mine.addAll(StatefulSetRenderer.render(d, ns));
            mine.addAll(DeploymentRenderer.render(d, ns));
            mine.addAll(PodDisruptionBudgetRenderer.render(d, ns));
            mine.addAll(NetworkPolicyRenderer.render(d, ns));
            mine.addAll(JobRenderer.render(d, ns));
            mine.addAll(MonitoringRenderer.render(d, ns));
            mine.addAll(CertificateRenderer.render(d, ns));
            out.addAll(ScriptSet.prune(d, mine));
        }
        return List.copyOf(out);
    }

    /** The drain Job of Redis Cluster deployment D (`redisgen drain`), undecorated; see JobRenderer.drain. */
    public static HasMetadata drainJob(Plan plan, RedisPlan d) {
        return JobRenderer.drain(d, plan.namespace().name());
    }

    /** The restore Job of Redis Cluster deployment D (`redisgen restore`), undecorated; see JobRenderer.restore. */
    public static HasMetadata restoreJob(Plan plan, RedisPlan d, String from, boolean replace) {
        return JobRenderer.restore(d, plan.namespace().name(), from, replace);
    }
}
