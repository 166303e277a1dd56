package dev.redisgen.conf;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What goes into the sentinel.conf template. Rendered by {@link SentinelConf}.
 *
 * @param port                  Sentinel port (26379)
 * @param masterName            the monitored master's name ("mymaster")
 * @param redisPort             the Redis port of the monitored pods (6379)
 * @param sentinels             how many Sentinels watch the master
 * @param quorum                Sentinels that must agree the master is down; > sentinels/2 and <= sentinels
 * @param downAfterMillis       sentinel down-after-milliseconds
 * @param failoverTimeoutMillis sentinel failover-timeout
 * @param parallelSyncs         sentinel parallel-syncs
 * @param hostnames             true: monitor and announce stable pod names (resolve-hostnames and
 *                              announce-hostnames yes); false: IPs resolved by the start script
 * @param tlsAuthClients        tls-auth-clients with TLS on {@code port} and towards Redis; null = plain text
 */
public record SentinelConfSpec(
        int port,
        String masterName,
        int redisPort,
        int sentinels,
        int quorum,
        int downAfterMillis,
        int failoverTimeoutMillis,
        int parallelSyncs,
        boolean hostnames,
        String tlsAuthClients) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public SentinelConfSpec {
        RedisConfSpec.require(port > 0 && port < 65536, "port out of range: " + port);
        RedisConfSpec.require(redisPort > 0 && redisPort < 65536, "redisPort out of range: " + redisPort);
        Objects.requireNonNull(masterName, "masterName");
        RedisConfSpec.require(NAME.matcher(masterName).matches(), "master name must be [A-Za-z0-9._-]: " + masterName);
        RedisConfSpec.require(sentinels >= 1, "sentinels must be >= 1");
        RedisConfSpec.require(quorum * 2 > sentinels && quorum <= sentinels,
                "quorum must be > sentinels/2 and <= sentinels: quorum " + quorum + ", sentinels " + sentinels);
        RedisConfSpec.require(downAfterMillis > 0, "downAfterMillis must be > 0");
        RedisConfSpec.require(failoverTimeoutMillis > 0, "failoverTimeoutMillis must be > 0");
        RedisConfSpec.require(parallelSyncs >= 1, "parallelSyncs must be >= 1");
        RedisConfSpec.require(tlsAuthClients == null || RedisConfSpec.TLS_AUTH_CLIENTS.contains(tlsAuthClients),
                "tls-auth-clients must be optional|yes: " + tlsAuthClients);
    }
}
