package dev.redisgen.drill;

import java.util.Arrays;
import java.util.Locale;

/** The drill's scenarios, in the order of the issue. */
public enum Scenario {
    BOOTSTRAP("bootstrap", "one master, every replica linked, every Sentinel agreeing"),
    MASTER_KILL("master-kill", "master pod killed with SIGKILL, recreated after the failover"),
    MASTER_PRESTOP("master-prestop", "master pod deleted gracefully: preStop, SIGTERM, grace period"),
    SENTINEL_KILL("sentinel-kill", "master's redis container SIGKILLed, then a Sentinel that is not the leader killed during the failover"),
    REBOOT("reboot", "every pod killed and recreated at once (whole-cluster reboot)"),
    REJOIN("rejoin", "master pod killed; the old master comes back and must rejoin as a replica"),
    PARTITION("partition", "master's network cut from every other pod (its process keeps running), then healed"),
    ROLLING_UPDATE("rolling-update", "every pod replaced one at a time, highest ordinal first, each new pod ready before the"
                                     + " next goes (kubectl rollout restart): new pod IPs everywhere, the master hands over on its turn");

    private final String id;
    private final String description;

    Scenario(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** By id ("master-kill") or number (1..7 as in the issue, 8 for rolling-update). */
    public static Scenario parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.matches("[1-8]")) {
            return values()[Integer.parseInt(t) - 1];
        }
        return Arrays.stream(values()).filter(v -> v.id.equals(t)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + s + "' (1-8 or "
                        + String.join(", ", Arrays.stream(values()).map(Scenario::id).toList()) + ")"));
    }
}
