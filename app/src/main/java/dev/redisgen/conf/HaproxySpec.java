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
 * @param plainMasterPort     with TLS: a second, plain-text bind of the read-write frontend (tls.plainPort kept for clients not yet
 *                            on TLS; the servers are still reached over TLS); 0 = none
 * @param plainReplicaPort    the same for the read-only frontend; 0 = none
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
        String tlsAuthClients,
        int plainMasterPort,
        int plainReplicaPort) {

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
        RedisConfSpec.require(plainMasterPort >= 0 && plainMasterPort < 65536 && plainReplicaPort >= 0 && plainReplicaPort < 65536,
                "plain ports out of range");
        RedisConfSpec.require(tlsAuthClients != null || plainMasterPort == 0 && plainReplicaPort == 0,
                "a plain-text bind beside TLS needs TLS");
        RedisConfSpec.require(plainReplicaPort == 0 || replicaPort > 0, "a plain-text read-only bind needs the read-only frontend");
    }

    public boolean tls() {
        return tlsAuthClients != null;
    }
}
