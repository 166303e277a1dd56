package dev.redisgen.conf;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loopback layout the live script tests share: Redis pods redis-0..2 at 127.0.0.21-.23 and three Sentinels
 * at 127.0.0.31-.33, in ip mode with the test overrides of CONTRACT.md (POD_ADDRESSES, SENTINEL_ADDRESSES,
 * LOCAL_REDIS_HOST), so that the very script bytes of the ConfigMap run against real redis-server and
 * redis-sentinel.
 */
final class LoopbackPods {
    static final String A = "127.0.0.21";
    static final String B = "127.0.0.22";
    static final String C = "127.0.0.23";
    static final List<String> PODS = List.of(A, B, C);
    static final List<String> SENTINELS = List.of("127.0.0.31", "127.0.0.32", "127.0.0.33");

    private LoopbackPods() {
    }

    /** INFO replication of the Redis server at HOST:PORT as fields (empty when it does not answer). */
    static Map<String, String> info(String host, int port) {
        Map<String, String> fields = new HashMap<>();
        for (String line : Proc.cli(host, port, ScriptsLiveTest.PASSWORD, "INFO", "replication").lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    /** FIELD of SENTINEL MASTER mymaster at the Sentinel HOST:PORT (null when it does not answer or has no such field). */
    static String sentinelMasterField(String host, int port, String key) {
        List<String> flat = Proc.cli(host, port, null, "SENTINEL", "MASTER", "mymaster").lines().toList();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (flat.get(i).equals(key)) {
                return flat.get(i + 1);
            }
        }
        return null;
    }

    /** The env of Redis pod ORDINAL at HOST (a mutable map: each test adds what it needs). */
    static Map<String, String> env(Path scripts, Path dataDir, int ordinal, String host, int port, int sentinelPort) {
        Map<String, String> env = new HashMap<>();
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("DATA_DIR", dataDir.toString());
        env.put("POD_NAME", "redis-" + ordinal);
        env.put("POD_NAMESPACE", "default");
        env.put("POD_IP", host);
        env.put("STATEFULSET", "redis");
        env.put("HEADLESS_SERVICE", "redis-headless");
        env.put("REPLICAS", "3");
        env.put("SENTINELS", "3");
        env.put("REDIS_PORT", Integer.toString(port));
        env.put("SENTINEL_PORT", Integer.toString(sentinelPort));
        env.put("MASTER_NAME", "mymaster");
        env.put("ADDRESS_MODE", "ip");
        env.put("REDIS_PASSWORD", ScriptsLiveTest.PASSWORD);
        env.put("POD_ADDRESSES", String.join(" ", PODS));
        env.put("SENTINEL_ADDRESSES", String.join(" ", SENTINELS.stream().map(s -> s + ":" + sentinelPort).toList()));
        env.put("LOCAL_REDIS_HOST", host);
        env.put("REDIS_CLI_TIMEOUT", "2");
        return env;
    }
}
