package dev.redisgen.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ApplyOrderTest {

    @Test
    void shuffledObjectsOfEveryKindComeBackInApplyOrder() {
        List<HasMetadata> expected = Fixtures.everyKind();
        assertThat(expected).extracting(HasMetadata::getKind).containsExactlyElementsOf(ApplyOrder.KINDS);
        for (long seed = 0; seed < 20; seed++) {
            List<HasMetadata> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(ApplyOrder.sort(shuffled)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void sameKindSortsByName() {
        List<HasMetadata> sorted = ApplyOrder.sort(List.of(configMap("redis-b", "ns"), configMap("redis-a", "ns"), configMap("redis-c", "ns")));
        assertThat(sorted).extracting(o -> o.getMetadata().getName()).containsExactly("redis-a", "redis-b", "redis-c");
    }

    @Test
    void aDenyOnlyNetworkPolicyComesAfterThePoliciesThatAllow() {
        HasMetadata deny = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder().withNewMetadata().withName("redis-deny-all")
                .withNamespace("ns").endMetadata().withNewSpec().withPolicyTypes("Ingress", "Egress").endSpec().build();
        HasMetadata allowA = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder().withNewMetadata().withName("redis-backup")
                .withNamespace("ns").endMetadata().withNewSpec().addNewEgress().endEgress().endSpec().build();
        HasMetadata allowR = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder().withNewMetadata().withName("redis-redis")
                .withNamespace("ns").endMetadata().withNewSpec().addNewIngress().endIngress().endSpec().build();
        assertThat(ApplyOrder.sort(List.of(deny, allowR, allowA))).containsExactly(allowA, allowR, deny);
    }

    @Test
    void sameNameInTwoNamespacesKeepsItsOrder() {
        HasMetadata second = configMap("redis", "b");
        HasMetadata first = configMap("redis", "a");
        assertThat(ApplyOrder.sort(List.of(second, first))).containsExactly(second, first);
    }

    @Test
    void unknownKindIsAProgrammingError() {
        HasMetadata ingress = new GenericKubernetesResourceBuilder().withApiVersion("networking.k8s.io/v1").withKind("Ingress")
                .withNewMetadata().withName("redis").endMetadata().build();
        assertThatThrownBy(() -> ApplyOrder.sort(List.of(configMap("redis", "ns"), ingress)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no apply order for kind Ingress; add it to ApplyOrder");
    }

    @Test
    void duplicatesAreRefused() {
        assertThatThrownBy(() -> ApplyOrder.sort(List.of(configMap("redis", "ns"), Fixtures.service(), configMap("redis", "ns"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ConfigMap ns/redis");
    }

    private static HasMetadata configMap(String name, String namespace) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata().build();
    }
}
