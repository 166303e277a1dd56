package dev.redisgen.drill;

/**
 * One scenario round on one Sentinel deployment.
 *
 * @param failoverSeconds      fault to the first write acknowledged by a new master (bootstrap: start to a
 *                             settled cluster; reboot: to the first acknowledged write); null when it never happened
 * @param targetSeconds        the bound failoverSeconds must meet
 * @param lostConfirmed        writes confirmed by WAIT 1 that the final master does not have (must be 0)
 * @param lostAcknowledgedOnly writes acknowledged by a master only (no WAIT confirmation) that were lost (reported)
 * @param doubleMasterMoments  moments when two pods accepted writes at once (must be 0)
 */
public record ScenarioResult(String deployment, Scenario scenario, int round, Double failoverSeconds, double targetSeconds,
                             long writesAcknowledged, long writesConfirmed, long lostConfirmed, long lostAcknowledgedOnly,
                             int doubleMasterMoments, boolean settled, boolean passed, String note) {
}
