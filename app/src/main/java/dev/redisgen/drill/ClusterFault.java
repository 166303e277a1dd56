package dev.redisgen.drill;

import java.io.IOException;
import java.util.List;

/** One Redis Cluster scenario: the fault it injects, the figure it measures and the bound that figure must meet. */
interface ClusterFault {
    /** The bound of the figure inject returns, in seconds. */
    double target(ClusterDrill d);

    /**
     * Injects the fault at t0 with the writer and observer running and returns the scenario's figure in seconds
     * (null: what it waits for never happened); notes go to note, missed secondary targets to d.violations.
     */
    Double inject(ClusterDrill d, long t0, List<String> note) throws IOException, InterruptedException;

    /** Whether every acknowledged key must be back afterwards, not only the WAIT-confirmed ones. */
    default boolean everyKeyBack() {
        return false;
    }
}
