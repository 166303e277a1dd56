package dev.redisgen.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Location;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loader's recovery for lint's single pass (issue 11): every error is still reported, and the profile is
 * bound as if each broken value were not written, with a source map that matches the bound profile.
 */
class RecoveryTest {

    static ProfileLoadException fail(String yaml) {
        ProfileLoadException e = catchThrowableOfType(ProfileLoadException.class, () -> ProfileLoader.parse("p.yaml", yaml));
        assertThat(e).as("the profile fails to load").isNotNull();
        return e;
    }

    @Test
    void anUnknownFieldIsReportedAndTheRestOfItsSectionBinds() {
        ProfileLoadException e = fail("""
                name: t
                namespace: {name: t}
                deployments: [{name: r, topology: sentinel, sentinel: {qurom: 2, masterName: main}}]
                """);
        assertThat(e.diagnostics()).extracting(Diagnostic::ruleId).containsExactly("unknown-field");
        assertThat(e.recovered().profile().deployments().get(0).sentinel().masterName()).isEqualTo("main");
    }

    @Test
    void aValueThatDoesNotBindTakesTheFieldsDefault() {
        ProfileLoadException e = fail("""
                name: t
                namespace: {name: t}
                deployments: [{name: r, topology: sentinel, purpose: storage, redis: {ioThreads: many}, exporter: {port: "x"}}]
                """);
        assertThat(e.diagnostics()).extracting(Diagnostic::ruleId).containsExactly("invalid-value", "wrong-type", "wrong-type");
        DeploymentSpec d = e.recovered().profile().deployments().get(0);
        assertThat(d.purpose()).isEqualTo(Purpose.CACHE);
        assertThat(d.redis().ioThreads()).isEqualTo(1);
        assertThat(d.exporter().port()).isEqualTo(9121);
    }

    @Test
    void anOptionalSectionMissingARequiredFieldIsLeftOutButStaysWritten() {
        ProfileLoadException e = fail("""
                name: t
                namespace: {name: t}
                deployments: [{name: r, topology: standalone, persistence: {aof: everysec}}]
                """);
        assertThat(e.recovered().profile().deployments().get(0).persistence()).isNull();
        // Rules ask the source map whether it was written, so they do not also report it as absent.
        assertThat(e.recovered().sourceMap().isWritten("/deployments/0/persistence")).isTrue();
    }

    @Test
    void droppedListItemsRenumberTheSourceMapOfTheItemsAfterThem() {
        ProfileLoadException e = fail("""
                name: t
                namespace: {name: t}
                deployments:
                  - {name: a, topology: nope}
                  - name: b
                    topology: standalone
                    persistence:
                      rdb: ["900 1", {bad: 1}, "60 10000"]
                      size: 1Gi
                """);
        LoadedProfile p = e.recovered();
        assertThat(p.profile().deployments()).extracting(DeploymentSpec::name).containsExactly("b");
        assertThat(p.profile().deployments().get(0).persistence().rdb()).containsExactly("900 1", "60 10000");
        SourceMap map = p.sourceMap();
        assertThat(map.locate("/deployments/0")).isEqualTo(new Location("p.yaml", 5, 5));
        assertThat(map.locate("/deployments/0/name")).isEqualTo(new Location("p.yaml", 5, 11));
        assertThat(map.locate("/deployments/0/persistence/rdb/1")).isEqualTo(new Location("p.yaml", 8, 32));
        assertThat(map.isWritten("/deployments/1")).isFalse();
        assertThat(map.isWritten("/deployments/0/persistence/rdb/2")).isFalse();
    }

    @Test
    void aProfileWhoseRequiredFieldsBreakCannotBeBound() {
        assertThat(fail("namespace: {name: t}\ndeployments: [{name: a, topology: standalone}]\n").recovered()).isNull();
        assertThat(fail("name: t\nnamespace: {name: t}\ndeployments: [{name: a, topology: nope}]\n").recovered()).isNull();
        assertThat(fail("name: t\nnamespace: {create: false}\ndeployments: [{name: a, topology: standalone}]\n").recovered()).isNull();
    }

    @Test
    void aMalformedNameIsReportedAndKeptForTheRules() {
        ProfileLoadException e = fail("name: t\nnamespace: {name: t}\ndeployments: [{name: Redis_Cache, topology: standalone}]\n");
        assertThat(e.diagnostics()).extracting(Diagnostic::ruleId).containsExactly("invalid-value");
        assertThat(e.recovered().profile().deployments().get(0).name()).isEqualTo("Redis_Cache");
    }

    @Test
    void kubernetesSpelledValuesBindAsTheApiServerWritesThem() {
        DeploymentSpec d = ProfileLoader.parse("p.yaml", """
                name: t
                namespace: {name: t}
                deployments:
                  - name: r
                    topology: standalone
                    imagePullPolicy: IfNotPresent
                    services: {type: LoadBalancer}
                    placement: {tolerations: [{key: k, operator: Exists, effect: PreferNoSchedule}]}
                """).profile().deployments().get(0);
        assertThat(d.imagePullPolicy()).isEqualTo(ImagePullPolicy.IF_NOT_PRESENT);
        assertThat(d.services().type()).isEqualTo(ServiceType.LOAD_BALANCER);
        assertThat(d.placement().tolerations().get(0).effect()).isEqualTo(TaintEffect.PREFER_NO_SCHEDULE);
    }

    @Test
    void aMisspelledKubernetesValueSuggestsTheApiServersWord() {
        ProfileLoadException e = fail("""
                name: t
                namespace: {name: t}
                deployments: [{name: r, topology: standalone, services: {type: loadbalancer}, imagePullPolicy: if-not-present}]
                """);
        assertThat(e.diagnostics()).extracting(Diagnostic::format).containsExactly(
                "p.yaml:3:64: error[invalid-value]: unknown value 'loadbalancer' for deployments[0].services.type; did you mean 'LoadBalancer'?\n"
                        + "  fix: write one of: ClusterIP, NodePort, LoadBalancer",
                "p.yaml:3:96: error[invalid-value]: unknown value 'if-not-present' for deployments[0].imagePullPolicy; did you mean 'IfNotPresent'?\n"
                        + "  fix: write one of: Always, IfNotPresent, Never");
    }

    @Test
    void theKubernetesDefaultPullPolicyFollowsTheImageReference() {
        assertThat(List.of("redis:7.2-alpine", "oliver006/redis_exporter:v1.55.0-alpine", "registry.example.com:5000/redis:7",
                        "redis@sha256:abc", "redis:7@sha256:abc"))
                .allSatisfy(image -> assertThat(ImagePullPolicy.kubernetesDefault(image)).as(image).isEqualTo(ImagePullPolicy.IF_NOT_PRESENT));
        assertThat(List.of("redis", "redis:latest", "registry.example.com:5000/redis", "registry.example.com:5000/redis:latest"))
                .allSatisfy(image -> assertThat(ImagePullPolicy.kubernetesDefault(image)).as(image).isEqualTo(ImagePullPolicy.ALWAYS));
    }
}
