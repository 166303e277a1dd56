package dev.redisgen.profile;

import java.util.List;

@Doc("Where pods may be scheduled relative to each other.")
public record PlacementSpec(
        @Default("soft") @Doc("`soft` (preferred), `hard` (required) or `none`.") AntiAffinity antiAffinity,
        @Default("100") @Doc("Weight of each preferred term (1–100), for `soft`.") int weight,
        @Default("[kubernetes.io/hostname]") @Doc("Topology keys to spread over (`kubernetes.io/hostname`, `topology.kubernetes.io/zone`).") List<String> topologyKeys) {
}
