package dev.redisgen.render;

import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cert-manager {@code Certificate} (cert-manager.io/v1) that fills the deployment's TLS Secret, when the profile asks for
 * one. fabric8 has no cert-manager model in redisgen's dependencies, so it is a {@link GenericKubernetesResource}; the offline
 * validator checks its shape against cert-manager's own schema (tools/validate-k8s).
 */
final class CertificateRenderer {
    static final String API_VERSION = "cert-manager.io/v1";
    static final String KIND = "Certificate";

    private CertificateRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        if (d.tls() == null || d.tls().certManager() == null) {
            return out;
        }
        var cm = d.tls().certManager();
        Map<String, Object> issuer = new LinkedHashMap<>();
        issuer.put("group", "cert-manager.io");
        issuer.put("kind", cm.kind().kubernetesName());
        issuer.put("name", cm.issuer());
        Map<String, Object> privateKey = new LinkedHashMap<>();
        privateKey.put("algorithm", "ECDSA");
        privateKey.put("size", 256);
        // A new key with every renewal: a leaked key is good only until the next one.
        privateKey.put("rotationPolicy", "Always");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("secretName", d.tls().secretName());
        spec.put("duration", cm.duration());
        spec.put("renewBefore", cm.renewBefore());
        spec.put("dnsNames", d.tlsDnsNames(namespace));
        spec.put("ipAddresses", List.of("127.0.0.1"));
        // Server and client: a replica, a Sentinel and a cluster node present the same certificate to their peers.
        spec.put("usages", List.of("digital signature", "key encipherment", "server auth", "client auth"));
        spec.put("privateKey", privateKey);
        spec.put("issuerRef", issuer);
        GenericKubernetesResource certificate = new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withNewMetadata().withName(d.tls().secretName()).withNamespace(namespace).withLabels(Labels.of(d, "tls")).endMetadata()
                .build();
        certificate.setAdditionalProperty("spec", spec);
        out.add(certificate);
        return out;
    }
}
