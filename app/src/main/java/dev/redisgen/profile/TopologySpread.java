package dev.redisgen.profile;

@Doc("How strictly pods are spread over topology domains (`topologySpreadConstraints`).")
public enum TopologySpread {
    /** whenUnsatisfiable: ScheduleAnyway — the scheduler prefers the least loaded domain, still schedules when it cannot. */
    SOFT,
    /** whenUnsatisfiable: DoNotSchedule — a pod that would exceed maxSkew stays Pending; nodes without the key are not used. */
    HARD,
    NONE
}
