package dev.redisgen.explain;

import dev.redisgen.explain.Explanation.Amounts;
import dev.redisgen.explain.Explanation.Quota;
import dev.redisgen.explain.Explanation.Resources;
import dev.redisgen.explain.Explanation.Row;
import dev.redisgen.plan.Plan;
import dev.redisgen.profile.Cpu;
import dev.redisgen.profile.Memory;
import dev.redisgen.profile.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests, limits, storage and pod counts per workload and in all, summed from the rendered pod specs
 * (the seeds' resource tables, computed). A pod counts as the scheduler and the quota count it: its app
 * containers summed, or its largest init container if that is larger (init containers run one at a time).
 */
final class ResourceTotals {
    private ResourceTotals() {
    }

    /** Sums of one pod or of many: cpu in millicores, the rest in bytes. */
    record Sum(long cpuReq, long cpuLim, long memReq, long memLim, long ephReq, long ephLim) {
        static final Sum ZERO = new Sum(0, 0, 0, 0, 0, 0);

        Sum plus(Sum o) {
            return new Sum(cpuReq + o.cpuReq, cpuLim + o.cpuLim, memReq + o.memReq, memLim + o.memLim, ephReq + o.ephReq, ephLim + o.ephLim);
        }

        Sum times(long n) {
            return new Sum(cpuReq * n, cpuLim * n, memReq * n, memLim * n, ephReq * n, ephLim * n);
        }

        Sum max(Sum o) {
            return new Sum(Math.max(cpuReq, o.cpuReq), Math.max(cpuLim, o.cpuLim), Math.max(memReq, o.memReq),
                    Math.max(memLim, o.memLim), Math.max(ephReq, o.ephReq), Math.max(ephLim, o.ephLim));
        }

        Amounts amounts() {
            return new Amounts(Cpu.ofMillis(cpuReq).toString(), Cpu.ofMillis(cpuLim).toString(), Memory.ofBytes(memReq).toString(),
                    Memory.ofBytes(memLim).toString(), Memory.ofBytes(ephReq).toString(), Memory.ofBytes(ephLim).toString());
        }
    }

    static Sum of(Container c) {
        return new Sum(Manifests.cpu(Manifests.amount(c, false, "cpu")).millis(), Manifests.cpu(Manifests.amount(c, true, "cpu")).millis(),
                Manifests.memory(Manifests.amount(c, false, "memory")).bytes(), Manifests.memory(Manifests.amount(c, true, "memory")).bytes(),
                Manifests.memory(Manifests.amount(c, false, "ephemeral-storage")).bytes(),
                Manifests.memory(Manifests.amount(c, true, "ephemeral-storage")).bytes());
    }

    /** One pod's effective amounts. */
    static Sum pod(PodSpec spec) {
        Sum app = Sum.ZERO;
        for (Container c : Manifests.containers(spec)) {
            app = app.plus(of(c));
        }
        Sum init = Sum.ZERO;
        for (Container c : Manifests.initContainers(spec)) {
            init = init.max(of(c));
        }
        return app.max(init);
    }

    static Resources of(Plan plan, List<HasMetadata> objects) {
        List<Row> rows = new ArrayList<>();
        Sum steady = Sum.ZERO;
        Sum peak = Sum.ZERO;
        int steadyPods = 0;
        int peakPods = 0;
        long storage = 0;
        int claims = 0;
        for (HasMetadata o : objects) {
            if (Manifests.isWorkload(o)) {
                boolean always = o instanceof StatefulSet || o instanceof Deployment;
                int pods = Manifests.replicas(o);
                Sum perPod = pod(Manifests.pod(o));
                long rowStorage = 0;
                int rowClaims = 0;
                for (PersistentVolumeClaim c : Manifests.claimTemplates(o)) {
                    rowStorage += Manifests.claimSize(c).bytes() * pods;
                    rowClaims += pods;
                }
                rows.add(new Row(Manifests.instance(o), o.getKind(), o.getMetadata().getName(), always, pods,
                        perPod.times(pods).amounts(), perPod.amounts(), Memory.ofBytes(rowStorage).toString(), rowClaims));
                if (always) {
                    steady = steady.plus(perPod.times(pods));
                    steadyPods += pods;
                }
                peak = peak.plus(perPod.times(Manifests.peakPods(o)));
                peakPods += Manifests.peakPods(o);
                storage += rowStorage;
                claims += rowClaims;
            } else if (o instanceof PersistentVolumeClaim c) {
                long size = Manifests.claimSize(c).bytes();
                rows.add(new Row(Manifests.instance(o), o.getKind(), o.getMetadata().getName(), true, 0, Sum.ZERO.amounts(), null,
                        Memory.ofBytes(size).toString(), 1));
                storage += size;
                claims += 1;
            }
        }
        // Workloads that always run, then Jobs and CronJobs, then claims of their own; each in apply order.
        rows.sort(java.util.Comparator.comparingInt(r -> r.kind().equals("PersistentVolumeClaim") ? 2 : r.always() ? 0 : 1));
        String total = Memory.ofBytes(storage).toString();
        return new Resources(rows,
                new Row(null, null, "steady", true, steadyPods, steady.amounts(), null, total, claims),
                new Row(null, null, "peak", false, peakPods, peak.amounts(), null, total, claims),
                quota(plan.namespace().resourceQuota()));
    }

    private static Quota quota(ResourceQuotaSpec q) {
        if (q == null) {
            return null;
        }
        return new Quota(str(q.requestsCpu()), str(q.limitsCpu()), str(q.requestsMemory()), str(q.limitsMemory()),
                str(q.requestsStorage()), q.persistentVolumeClaims(), q.pods(), q.services(), q.render());
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
