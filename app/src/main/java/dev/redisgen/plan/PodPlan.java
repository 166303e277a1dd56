package dev.redisgen.plan;

import dev.redisgen.profile.Cpu;
import dev.redisgen.profile.Memory;
import java.util.List;

/**
 * A pod template and how many pods of it can run at once (replicas, plus surge and overlapping Jobs),
 * for the LimitRange and ResourceQuota rules.
 *
 * @param kind     the owning workload kind (StatefulSet, Deployment, Job, CronJob)
 * @param maxPods  pods of this template that may exist at the same time
 */
public record PodPlan(String kind, String name, int maxPods, List<ContainerPlan> initContainers, List<ContainerPlan> containers) {

    public PodPlan {
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
    }

    public List<ContainerPlan> allContainers() {
        return java.util.stream.Stream.concat(initContainers.stream(), containers.stream()).toList();
    }

    /**
     * The pod's effective request or limit as the scheduler and quota count it: the larger of the
     * largest init container and the sum of the app containers (init containers run one at a time).
     */
    public Cpu effectiveCpu(boolean limits) {
        long sum = containers.stream().mapToLong(c -> millis(amount(c, limits))).sum();
        long init = initContainers.stream().mapToLong(c -> millis(amount(c, limits))).max().orElse(0);
        return Cpu.ofMillis(Math.max(sum, init));
    }

    public Memory effectiveMemory(boolean limits) {
        long sum = containers.stream().mapToLong(c -> bytes(amount(c, limits))).sum();
        long init = initContainers.stream().mapToLong(c -> bytes(amount(c, limits))).max().orElse(0);
        return Memory.ofBytes(Math.max(sum, init));
    }

    // A missing amount counts as zero here; the resources-complete rule refuses it before rendering.
    private static long millis(dev.redisgen.profile.Resources.Amounts a) {
        return a == null || a.cpu() == null ? 0 : a.cpu().millis();
    }

    private static long bytes(dev.redisgen.profile.Resources.Amounts a) {
        return a == null || a.memory() == null ? 0 : a.memory().bytes();
    }

    private static dev.redisgen.profile.Resources.Amounts amount(ContainerPlan c, boolean limits) {
        return limits ? c.resources().limits() : c.resources().requests();
    }
}
