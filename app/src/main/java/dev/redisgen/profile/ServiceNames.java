package dev.redisgen.profile;

@Doc("Service names; absent ones derive from the deployment name.")
public record ServiceNames(
        @Doc("Plain clients: reaches only the current master. Default `<name>`.") String write,
        @Doc("Reads from replicas only. Default `<name>-replicas`.") String readOnly,
        @Doc("Sentinel-aware clients (port 26379). Default `<name>-sentinel`.") String sentinel,
        @Doc("Headless Service giving each pod a stable DNS name. Default `<name>-headless`.") String headless) {
}
