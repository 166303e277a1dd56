package dev.redisgen.drill;

/**
 * One scenario round on one Sentinel deployment.
 *
 * @param failoverSeconds      fault to the first write acknowledged by a new master (bootstrap: start to a
 *                             settled cluster; reboot: to the first acknowledged write; rolling-update: the
 *                             longest time without an acknowledged write); null when it never happened
 * @param targetSeconds        the bound failoverSeconds must meet
 * @param lostConfirmed        writes confirmed by WAIT 1 that the final master does not have (must be 0)
 * @param lostAcknowledgedOnly writes acknowledged by a master only (no WAIT confirmation) that were lost (reported)
 * @param doubleMasterMoments  moments when two pods accepted writes at once (must be 0)
 * @param longestGapSeconds    the longest time from the fault to the end of the scenario in which the Sentinel-aware
 *                             client got no write acknowledged (null for bootstrap): a second outage after the
 *                             failover shows here
 * @param proxy                what a plain client writing through the HAProxy write endpoint saw (null: no proxy)
 * @param pinned               what a Sentinel-aware client with long timeouts saw, which keeps one master connection for as
 *                             long as it works (redis-py's default: no socket timeout), so that a frozen master's stale
 *                             acknowledgements reach it (null: not run)
 */
public record ScenarioResult(String deployment, Scenario scenario, int round, Double failoverSeconds, double targetSeconds,
                             long writesAcknowledged, long writesConfirmed, long lostConfirmed, long lostAcknowledgedOnly,
                             int doubleMasterMoments, boolean settled, boolean passed, String note, Double longestGapSeconds,
                             Client proxy, Client pinned) {

    public ScenarioResult(String deployment, Scenario scenario, int round, Double failoverSeconds, double targetSeconds,
                          long writesAcknowledged, long writesConfirmed, long lostConfirmed, long lostAcknowledgedOnly,
                          int doubleMasterMoments, boolean settled, boolean passed, String note) {
        this(deployment, scenario, round, failoverSeconds, targetSeconds, writesAcknowledged, writesConfirmed, lostConfirmed,
                lostAcknowledgedOnly, doubleMasterMoments, settled, passed, note, null, null, null);
    }

    public ScenarioResult(String deployment, Scenario scenario, int round, Double failoverSeconds, double targetSeconds,
                          long writesAcknowledged, long writesConfirmed, long lostConfirmed, long lostAcknowledgedOnly,
                          int doubleMasterMoments, boolean settled, boolean passed, String note, Double longestGapSeconds,
                          Client proxy) {
        this(deployment, scenario, round, failoverSeconds, targetSeconds, writesAcknowledged, writesConfirmed, lostConfirmed,
                lostAcknowledgedOnly, doubleMasterMoments, settled, passed, note, longestGapSeconds, proxy, null);
    }

    /**
     * A second client beside the Sentinel-aware writer, writing numbered keys, every tenth confirmed with WAIT 1:
     * a plain client of the HAProxy write endpoint, or the pinned long-timeout client.
     *
     * @param longestGapSeconds    the longest time from the fault on without an acknowledged write (null: writes
     *                             never went through again)
     * @param readonlyErrors       writes answered READONLY: sent to a replica (reported)
     */
    public record Client(Double longestGapSeconds, long writesAcknowledged, long lostConfirmed, long lostAcknowledgedOnly,
                        long readonlyErrors) {
    }
}
