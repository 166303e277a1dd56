package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;

/**
 * The restricted Pod Security Standard and then some (SPEC "Security context"), on every pod template and
 * every container, init containers included. Each setting names the rule it satisfies.
 */
final class HardenPodSecurity implements Decorator {

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        if (!Objects.isWorkload(object)) {
            return object;
        }
        RedisPlan d = owner(object, plan);
        return Objects.editPodSpec(object, pod -> {
            pod.setSecurityContext(new PodSecurityContextBuilder()
                    .withRunAsNonRoot(true)                        // PSS restricted: runAsNonRoot
                    .withRunAsUser(d.security().runAsUser())
                    .withRunAsGroup(d.security().runAsGroup())
                    .withFsGroup(d.security().fsGroup())           // volumes writable by the non-root user
                    .withFsGroupChangePolicy("OnRootMismatch")     // no recursive chown of a 100Gi volume on every start
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()  // PSS restricted: seccomp
                    .build());
            // No pod talks to the Kubernetes API: no token in the pod (SPEC "Security context").
            pod.setAutomountServiceAccountToken(false);
            // Service links would inject REDIS_PORT=tcp://... for a Service named "redis" and clash with
            // the scripts' REDIS_PORT; nothing here reads them.
            pod.setEnableServiceLinks(false);
            // Every container, init containers included.
            for (List<Container> containers : List.of(nonNull(pod.getInitContainers()), nonNull(pod.getContainers()))) {
                for (Container c : containers) {
                    c.setSecurityContext(new SecurityContextBuilder()
                            .withAllowPrivilegeEscalation(false)    // PSS restricted: allowPrivilegeEscalation
                            .withPrivileged(false)
                            .withReadOnlyRootFilesystem(true)       // writes go to emptyDirs and PVCs only
                            .withRunAsNonRoot(true)
                            .withNewCapabilities().withDrop("ALL").endCapabilities()  // PSS restricted: drop ALL
                            .build());
                }
            }
        });
    }

    private static List<Container> nonNull(List<Container> containers) {
        return containers == null ? List.of() : containers;
    }

    static RedisPlan owner(HasMetadata object, Plan plan) {
        String instance = Objects.label(object, "app.kubernetes.io/instance");
        return plan.deployments().stream().filter(d -> d.name().equals(instance)).findFirst()
                .orElseThrow(() -> new IllegalStateException(object.getKind() + " " + object.getMetadata().getName() + " has no deployment"));
    }
}
