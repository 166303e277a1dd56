package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.PodPlan;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.ResourceQuotaSpec;
import dev.redisgen.profile.Memory;
import java.util.ArrayList;
import java.util.List;

/**
 * The rendered workloads' worst case (every replica, a rollout's surge pod, the Jobs and every CronJob firing
 * together) against the namespace's ResourceQuota. Above it, the ResourceQuota admission plugin rejects pods
 * and a StatefulSet or rollout stalls half-way.
 */
final class ResourceQuotaFit implements Rule {
    @Override
    public String id() {
        return "resource-quota";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        ResourceQuotaSpec q = ctx.plan().namespace().resourceQuota();
        List<Diagnostic> out = new ArrayList<>();
        if (q == null) {
            return out;
        }
        long reqCpu = 0, limCpu = 0, reqMem = 0, limMem = 0, pods = 0, storage = 0, claims = 0;
        for (PodPlan p : ctx.plan().pods()) {
            reqCpu += p.effectiveCpu(false).millis() * p.maxPods();
            limCpu += p.effectiveCpu(true).millis() * p.maxPods();
            reqMem += p.effectiveMemory(false).bytes() * p.maxPods();
            limMem += p.effectiveMemory(true).bytes() * p.maxPods();
            pods += p.maxPods();
        }
        for (RedisPlan d : ctx.plan().deployments()) {
            if (d.persistence() != null) {
                storage += d.persistence().size().bytes() * d.redisReplicas();
                claims += d.redisReplicas();
            } else if (d.coLocatedSentinel()) {
                storage += d.sentinel().storage().size().bytes() * d.redisReplicas();
                claims += d.redisReplicas();
            }
            if (d.sentinel() != null && d.sentinel().separate()) {
                storage += d.sentinel().storage().size().bytes() * d.sentinel().sentinels();
                claims += d.sentinel().sentinels();
            }
            if (d.backup() != null) {
                storage += d.backup().storage().size().bytes();
                claims += 1;
            }
        }
        String ns = ctx.plan().namespace().name();
        String base = "/namespace/resourceQuota/";
        if (q.requestsCpu() != null && reqCpu > q.requestsCpu().millis()) {
            out.add(over(ctx, "requests.cpu", dev.redisgen.profile.Cpu.ofMillis(reqCpu).toString(), q.requestsCpu().toString(), ns, base + "requestsCpu"));
        }
        if (q.limitsCpu() != null && limCpu > q.limitsCpu().millis()) {
            out.add(over(ctx, "limits.cpu", dev.redisgen.profile.Cpu.ofMillis(limCpu).toString(), q.limitsCpu().toString(), ns, base + "limitsCpu"));
        }
        if (q.requestsMemory() != null && reqMem > q.requestsMemory().bytes()) {
            out.add(over(ctx, "requests.memory", Memory.ofBytes(reqMem).toString(), q.requestsMemory().toString(), ns, base + "requestsMemory"));
        }
        if (q.limitsMemory() != null && limMem > q.limitsMemory().bytes()) {
            out.add(over(ctx, "limits.memory", Memory.ofBytes(limMem).toString(), q.limitsMemory().toString(), ns, base + "limitsMemory"));
        }
        if (q.requestsStorage() != null && storage > q.requestsStorage().bytes()) {
            out.add(over(ctx, "requests.storage", Memory.ofBytes(storage).toString(), q.requestsStorage().toString(), ns, base + "requestsStorage"));
        }
        if (q.pods() != null && pods > q.pods()) {
            out.add(over(ctx, "pods", Long.toString(pods), q.pods().toString(), ns, base + "pods"));
        }
        if (q.persistentVolumeClaims() != null && claims > q.persistentVolumeClaims()) {
            out.add(over(ctx, "persistentvolumeclaims", Long.toString(claims), q.persistentVolumeClaims().toString(), ns, base + "persistentVolumeClaims"));
        }
        return out;
    }

    private Diagnostic over(Context ctx, String resource, String total, String hard, String ns, String pointer) {
        return Diagnostic.error(id(), "the rendered workloads need " + resource + " " + total + " at their peak (all replicas, rollout"
                        + " surge, Jobs and CronJobs together), above the ResourceQuota's " + hard + " in namespace " + ns
                        + "; pods beyond it are rejected at admission",
                "raise the quota's " + resource + " to at least " + total + ", or lower replicas or resources", ctx.at(pointer));
    }
}
