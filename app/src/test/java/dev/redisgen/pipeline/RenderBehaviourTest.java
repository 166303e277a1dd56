package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Properties of the rendered objects that the SPEC demands, asserted directly rather than through golden bytes. */
class RenderBehaviourTest {

    private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** SPEC "Client routing": a Service over every Redis pod on 6379 sends writes to replicas (READONLY). */
    @ParameterizedTest
    @ValueSource(strings = {"jewelry-shop", "gateway-ha", "airflow"})
    void noServiceSelectsEverySentinelRedisPodOnTheDataPort(String profile) {
        List<HasMetadata> objects = Pipeline.render(profile).objects();
        for (StatefulSet sts : all(objects, StatefulSet.class)) {
            Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
            if (!"redis".equals(podLabels.get("app.kubernetes.io/component"))) {
                continue;
            }
            for (Service svc : all(objects, Service.class)) {
                boolean selectsRedisPods = svc.getSpec().getSelector() != null
                        && podLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet());
                boolean dataPort = svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 6379);
                boolean headless = "None".equals(svc.getSpec().getClusterIP());
                assertThat(selectsRedisPods && dataPort && !headless)
                        .as("%s: Service %s load-balances 6379 over every Redis pod", profile, svc.getMetadata().getName()).isFalse();
            }
        }
    }

    /** Seeds 001/002: DNS must exist before readiness, or Sentinel crash-loops on an unresolvable name. */
    @ParameterizedTest
    @ValueSource(strings = {"jewelry-shop", "gateway-ha", "airflow", "analytics-cluster"})
    void headlessServicesPublishNotReadyAddresses(String profile) {
        List<HasMetadata> objects = Pipeline.render(profile).objects();
        for (StatefulSet sts : all(objects, StatefulSet.class)) {
            Service headless = all(objects, Service.class).stream()
                    .filter(s -> s.getMetadata().getName().equals(sts.getSpec().getServiceName())).findFirst().orElseThrow();
            assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
            assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        }
    }

    /**
     * A Sentinel stopped in the middle of a failover it runs forgets it (the upgrade drill's 9-10 s gap): every
     * Sentinel container, co-located or not, stops through sentinel-prestop.sh, which waits up to 50 s
     * (SENTINEL_PRESTOP_WAIT_SECONDS) for the failover, and its pod's grace period leaves it that time.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jewelry-shop", "gateway-ha", "airflow"})
    void everySentinelStopsOnlyOnceAFailoverItRunsIsDone(String profile) {
        int sentinels = 0;
        for (StatefulSet sts : all(Pipeline.render(profile).objects(), StatefulSet.class)) {
            var pod = sts.getSpec().getTemplate().getSpec();
            for (var c : pod.getContainers()) {
                if (!c.getCommand().contains("/scripts/sentinel-start.sh")) {
                    continue;
                }
                sentinels++;
                assertThat(c.getLifecycle().getPreStop().getExec().getCommand())
                        .as("%s: %s", sts.getMetadata().getName(), c.getName()).containsExactly("sh", "/scripts/sentinel-prestop.sh");
                assertThat(pod.getTerminationGracePeriodSeconds()).as(sts.getMetadata().getName()).isGreaterThan(50L);
            }
        }
        assertThat(sentinels).as(profile).isPositive();
    }

    @Test
    void aConfigChangeChangesThePodTemplateChecksum() {
        String text = ProfileLoader.loadBuiltin("gateway-ha").text();
        String before = checksum(ProfileLoader.parse("a.yaml", text), "redis-gateway");
        String after = checksum(ProfileLoader.parse("b.yaml", text.replace("maxmemory: 256mb", "maxmemory: 200mb")), "redis-gateway");
        String same = checksum(ProfileLoader.parse("c.yaml", text.replace("quorum: 2 ", "quorum: 2")), "redis-gateway");
        assertThat(before).hasSize(64).isNotEqualTo(after).isEqualTo(same);
    }

    private static String checksum(dev.redisgen.profile.LoadedProfile p, String statefulSet) {
        return all(Pipeline.render(p).objects(), StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals(statefulSet)).findFirst().orElseThrow()
                .getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    @Test
    void aPersistentStandaloneMountsAClaimOfItsOwn() {
        List<HasMetadata> objects = Pipeline.render("app/src/test/resources/profiles/valid/standalone-persistent.yaml").objects();
        PersistentVolumeClaim claim = all(objects, PersistentVolumeClaim.class).get(0);
        assertThat(claim.getMetadata().getName()).isEqualTo("sessions-data");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
        Deployment deployment = all(objects, Deployment.class).get(0);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> {
                    assertThat(v.getName()).isEqualTo("data");
                    assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("sessions-data");
                });
    }
}
