package dev.redisgen.drill;

import java.io.IOException;
import java.util.List;

/** One Sentinel scenario: the fault it injects, the figure it measures and the bound that figure must meet. */
interface SentinelFault {
    /** The bound of the figure inject returns, in seconds: by default the failover target (down-after + 3 s). */
    default double target(SentinelDrill d) {
        return d.failoverTarget;
    }

    /**
     * Injects the fault at t0 into the deployment whose master is MASTER (null for bootstrap), with the writers and the
     * observer running, and returns the scenario's figure in seconds (null: what it waits for never happened).
     */
    Double inject(SentinelDrill d, Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException;
}
