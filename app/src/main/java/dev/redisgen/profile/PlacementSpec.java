package dev.redisgen.profile;

import java.util.List;
import java.util.Map;

@Doc("Where the deployment's pods may be scheduled: relative to each other, on which nodes, and with which priority.")
public record PlacementSpec(
        @Default("soft") @Doc("`soft` (preferred), `hard` (required) or `none`.") AntiAffinity antiAffinity,
        @Default("100") @Doc("Weight of each preferred term (1–100), for `soft`.") int weight,
        @Default("[kubernetes.io/hostname]") @Doc("Topology keys to spread over (`kubernetes.io/hostname`, `topology.kubernetes.io/zone`).") List<String> topologyKeys,
        @Doc("Zones the nodes span, at least. Lint checks `hard` anti-affinity over zones against it (each pod of a workload needs a zone "
                + "of its own). Absent: lint assumes 3 and warns instead of refusing.") Integer minZones,
        @Doc("Nodes the deployment's pods can run on (those `nodeSelector` and `tolerations` admit), at least. Lint checks `hard` "
                + "anti-affinity over `kubernetes.io/hostname` against it (each pod of a workload needs a node of its own, a rollout's surge pod "
                + "included). Absent: not checked, as no number of nodes is typical.") Integer minNodes,
        @Doc("Node labels every pod of the deployment requires (`nodeSelector`).") Map<String, String> nodeSelector,
        @Doc("Node taints every pod of the deployment tolerates.") List<Toleration> tolerations,
        @Doc("PriorityClass of every pod of the deployment (it must exist in the cluster); absent: the cluster's default priority.") String priorityClassName,
        @Default("soft") @Doc("`topologySpreadConstraints` of every StatefulSet and Deployment over `spreadKeys`: `soft` (`ScheduleAnyway`: "
                + "prefer the least loaded zone and node, still schedule when the cluster cannot), `hard` (`DoNotSchedule`: a pod that would "
                + "exceed `maxSkew` stays Pending, and nodes without the key are not used) or `none`.") TopologySpread spread,
        @Default("[topology.kubernetes.io/zone, kubernetes.io/hostname]") @Doc("Node label keys to spread over, one constraint each.")
        List<String> spreadKeys,
        @Default("1") @Doc("`maxSkew`: how many more pods of a workload one zone (or node) may run than the least loaded one.") int maxSkew) {
}
