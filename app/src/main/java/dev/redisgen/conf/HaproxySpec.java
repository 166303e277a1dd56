package dev.redisgen.conf;

import java.util.List;
import java.util.Objects;

/**
 * An HAProxy in front of a Sentinel deployment for clients that are not Sentinel-aware.
 * Rendered by {@link HaproxyConf}.
 *
 * @param masterName          the Sentinel master name
 * @param redisHosts          the Redis pods' stable names (FQDNs), index = ordinal; exactly what the
 *                            Sentinels announce for them
 * @param redisPort           Redis port of the pods (6379)
 * @param sentinelHosts       the Sentinels' stable names (FQDNs)
 * @param sentinelPort        Sentinel port (26379)
 * @param quorum              how many Sentinels must name a pod master before traffic goes to it
 *                            (normally the majority of sentinelHosts)
 * @param masterPort          port of the read-write frontend (6379)
 * @param replicaPort         port of the read-only frontend (6380); 0 = no read-only frontend
 * @param healthPort          port of an HTTP {@code /healthz} frontend; 0 = none
 * @param redisAuth           the pods need AUTH: checks send {@code "${REDIS_PASSWORD}"} from the env
 * @param redisUser           with ACL users: checks send {@code "AUTH ${REDIS_USER} ${REDIS_PASSWORD}"} (the exporter user)
 * @param sentinelAuth        the Sentinels need AUTH: checks send {@code "${SENTINEL_PASSWORD}"}
 * @param checkIntervalMillis health-check interval (about 1000, so a failover is followed in seconds)
 * @param tlsAuthClients      null: plain text. Else TLS on the frontends (certificate and key concatenated into
 *                            {@link HaproxyConf#PEM} at start) and towards Redis and the Sentinels, verified against the CA in
 *                            {@link TlsFiles#CA}, the same PEM as client certificate; {@code yes}: the frontends, like Redis,
 *                            require a client certificate the CA signed (mutual TLS)
 */
public record HaproxySpec(
        String masterName,
        List<String> redisHosts,
        int redisPort,
        List<String> sentinelHosts,
        int sentinelPort,
        int quorum,
        int masterPort,
        int replicaPort,
        int healthPort,
        boolean redisAuth,
        boolean redisUser,
        boolean sentinelAuth,
        int checkIntervalMillis,
        String tlsAuthClients) {

    public HaproxySpec {
        Objects.requireNonNull(masterName, "masterName");
        redisHosts = List.copyOf(redisHosts);
        sentinelHosts = List.copyOf(sentinelHosts);
        RedisConfSpec.require(!redisHosts.isEmpty(), "redisHosts must not be empty");
        RedisConfSpec.require(!sentinelHosts.isEmpty(), "sentinelHosts must not be empty");
        for (String h : redisHosts) {
            RedisConfSpec.require(h.matches("[A-Za-z0-9.:-]+"), "not a host name: " + h);
        }
        for (String h : sentinelHosts) {
            RedisConfSpec.require(h.matches("[A-Za-z0-9.:-]+"), "not a host name: " + h);
        }
        RedisConfSpec.require(quorum >= 1 && quorum <= sentinelHosts.size(), "quorum must be 1..sentinels");
        RedisConfSpec.require(masterPort > 0 && masterPort < 65536, "masterPort out of range");
        RedisConfSpec.require(replicaPort >= 0 && replicaPort < 65536, "replicaPort out of range");
        RedisConfSpec.require(healthPort >= 0 && healthPort < 65536, "healthPort out of range");
        RedisConfSpec.require(checkIntervalMillis >= 100, "checkIntervalMillis must be >= 100");
        RedisConfSpec.require(tlsAuthClients == null || RedisConfSpec.TLS_AUTH_CLIENTS.contains(tlsAuthClients),
                "tls-auth-clients must be optional|yes: " + tlsAuthClients);
    }

    public boolean tls() {
        return tlsAuthClients != null;
    }
}
