package dev.redisgen.profile;

@Doc("TLS for every connection of the deployment: clients, replication, Sentinel, the cluster bus, the exporter, the probes, "
        + "the write endpoint and the Jobs. The certificate comes from a Secret in the shape cert-manager writes (`tls.crt`, `tls.key`, "
        + "`ca.crt`), mounted read-only at `/tls`; with `certManager` redisgen also renders the cert-manager `Certificate` that fills "
        + "it. Redis listens for TLS on its usual port (6379, Sentinel 26379): the URLs, Services and NetworkPolicies stay as they "
        + "are, and the plain-text port is closed (`port 0`) unless `plainPort` keeps one for clients not yet on TLS.")
public record TlsSpec(
        @Doc("Name of the Secret with `tls.crt`, `tls.key` and `ca.crt` (created outside redisgen, or by cert-manager from the "
                + "rendered `Certificate`). Default `<name>-tls`. Its certificate must name every address clients and peers use "
                + "(the Services, `*.<headless>.<namespace>.svc.<clusterDomain>`) and `localhost`/`127.0.0.1`, which the exporter "
                + "and the probes connect to.") String secretName,
        @Default("optional") @Doc("`tls-auth-clients`: `optional` (a client certificate, if sent, must be signed by the CA; "
                + "clients without one still connect: authentication is the password's job) or `yes` (mutual TLS: every client "
                + "needs a certificate the CA signed, which most client libraries are not set up for).") TlsClientAuth authClients,
        @Doc("Render a cert-manager `Certificate` (cert-manager.io/v1) that writes `secretName`; absent: the Secret exists.")
        CertManagerSpec certManager,
        @Doc("Keep plain text open on this second port of the Redis pods (e.g. `6380`) while clients move to TLS: Redis listens "
                + "with TLS on 6379 and without on this port (`port`), the Services and the clients' NetworkPolicy rule carry it too; the write "
                + "endpoint's proxy (HAProxy) binds plain text as well, on this port of its write and read-only Services, and still "
                + "reaches Redis over TLS. Replication, the cluster bus, Sentinel, the probes and the exporter stay on TLS; a Sentinel "
                + "names the TLS port, so this serves clients that connect to a Service or pod directly. Absent: no plain-text port "
                + "(`port 0`). Lint warns while it is set.") Integer plainPort) {
}
