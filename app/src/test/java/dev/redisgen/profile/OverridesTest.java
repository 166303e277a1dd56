package dev.redisgen.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * -f/--values and --set over a profile: merged on the node tree before binding, so values are typed, validated
 * and located exactly as if the profile had them, and each location names the input that supplied the value.
 */
class OverridesTest {
    static final String BASE = """
            name: base
            namespace:
              name: base
              labels: {team: a}
            deployments:
              - name: redis
                topology: sentinel
                redis:
                  maxmemory: 100mb
                  ioThreads: 2
                resources:
                  redis: &r {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 512Mi}}
                clients: [celery, django]
              - name: cache
                topology: standalone
                resources:
                  redis: *r
            """;

    static LoadedProfile load(List<LoadedText> values, String... sets) {
        return ProfileLoader.parse("base.yaml", BASE, Overrides.of(values, List.of(sets)));
    }

    static LoadedText values(String name, String text) {
        return new LoadedText(name, text);
    }

    static List<Diagnostic> errors(List<LoadedText> values, String... sets) {
        InputException e = catchThrowableOfType(InputException.class, () -> load(values, sets));
        assertThat(e).as("an InputException").isNotNull();
        return e.diagnostics();
    }

    @Test
    void valuesFilesMergeMappingsFieldByFieldAndLaterFilesWin() {
        LoadedProfile p = load(List.of(
                values("a.yaml", "deployments: [{name: redis, topology: sentinel, redis: {maxmemory: 200mb}}]\nnamespace: {labels: {env: prod}}\n"),
                values("b.yaml", "namespace:\n  labels:\n    env: staging\n  podSecurity: baseline\n")));
        // Namespace: merged field by field over two files; `name` and the `team` label come from the profile.
        assertThat(p.profile().namespace().name()).isEqualTo("base");
        assertThat(p.profile().namespace().labels()).containsExactly(java.util.Map.entry("env", "staging"), java.util.Map.entry("team", "a"));
        assertThat(p.profile().namespace().podSecurity()).isEqualTo(PodSecurityLevel.BASELINE);
        assertThat(p.sourceMap().locate("/namespace/labels/env")).isEqualTo(new Location("b.yaml", 3, 10));
        assertThat(p.sourceMap().locate("/namespace/labels/team")).isEqualTo(new Location("base.yaml", 4, 18));
        assertThat(p.sourceMap().locate("/namespace/name")).isEqualTo(new Location("base.yaml", 3, 9));
    }

    @Test
    void listsAreReplacedWholeNotMergedByIndex() {
        LoadedProfile p = load(List.of(values("v.yaml", "deployments:\n  - {name: only, topology: standalone}\n")));
        assertThat(p.profile().deployments()).hasSize(1);
        DeploymentSpec d = p.profile().deployments().get(0);
        assertThat(d.name()).isEqualTo("only");
        // Nothing of the profile's first deployment survives: its redis section is back to the defaults.
        assertThat(d.redis().maxmemory()).isNull();
        assertThat(d.clients()).isEmpty();
        assertThat(p.sourceMap().locate("/deployments/0/name")).isEqualTo(new Location("v.yaml", 2, 12));
    }

    @Test
    void nullInAValuesFilePutsAFieldBackToItsDefault() {
        LoadedProfile p = load(List.of(values("v.yaml", "deployments: [{name: redis, topology: sentinel, redis: {ioThreads: null}}]\n")));
        assertThat(p.profile().deployments().get(0).redis().ioThreads()).isEqualTo(1);
    }

    @Test
    void anEmptyValuesFileChangesNothing() {
        LoadedProfile p = load(List.of(values("empty.yaml", "# nothing yet\n")));
        assertThat(p.profile()).isEqualTo(ProfileLoader.parse("base.yaml", BASE).profile());
    }

    @Test
    void setValuesAreTypedAsYaml() {
        LoadedProfile p = load(List.of(), "deployments[0].replicas=5", "deployments[0].redis.maxmemory=512mb", "description=\"3\"",
                "deployments[0].clients=[redis-py]", "deployments[1].auth.secretName=cache-auth", "namespace.labels.app\\.io/x=y=z");
        DeploymentSpec d = p.profile().deployments().get(0);
        assertThat(d.replicas()).isEqualTo(5);
        assertThat(d.redis().maxmemory()).hasToString("512mb");
        assertThat(d.redis().ioThreads()).as("the rest of redis: stays").isEqualTo(2);
        assertThat(d.clients()).containsExactly(Client.REDIS_PY);
        assertThat(p.profile().description()).isEqualTo("3");
        assertThat(p.profile().deployments().get(1).auth().secretName()).isEqualTo("cache-auth");
        assertThat(p.profile().namespace().labels()).containsEntry("app.io/x", "y=z");
        assertThat(p.sourceMap().locate("/deployments/0/replicas")).isEqualTo(Location.ofFile("--set deployments[0].replicas"));
        assertThat(p.sourceMap().locate("/deployments/1/auth/secretName")).isEqualTo(Location.ofFile("--set deployments[1].auth.secretName"));
        assertThat(p.sourceMap().locate("/deployments/0/redis/ioThreads")).isEqualTo(new Location("base.yaml", 10, 18));
    }

    @Test
    void setComesAfterEveryValuesFileWhateverTheOrder() {
        LoadedProfile p = load(List.of(values("v.yaml", "deployments: [{name: redis, topology: sentinel, replicas: 7}]\n")),
                "deployments[0].replicas=5");
        assertThat(p.profile().deployments().get(0).replicas()).isEqualTo(5);
    }

    @Test
    void laterSetWins() {
        LoadedProfile p = load(List.of(), "deployments[0].replicas=5", "deployments[0].replicas=4");
        assertThat(p.profile().deployments().get(0).replicas()).isEqualTo(4);
    }

    @Test
    void setOnePastTheLastItemAppendsOne() {
        LoadedProfile p = load(List.of(), "deployments[2].name=extra", "deployments[2].topology=standalone");
        assertThat(p.profile().deployments()).extracting(DeploymentSpec::name).containsExactly("redis", "cache", "extra");
    }

    @Test
    void emptySetValueIsNullSoTheDefault() {
        LoadedProfile p = load(List.of(), "deployments[0].redis.ioThreads=");
        assertThat(p.profile().deployments().get(0).redis().ioThreads()).isEqualTo(1);
    }

    @Test
    void anAliasSharedWithAnotherPlaceKeepsItsValueThere() {
        LoadedProfile p = load(List.of(), "deployments[0].resources.redis.limits.memory=1Gi");
        assertThat(p.profile().deployments().get(0).resources().redis().limits().memory()).hasToString("1Gi");
        assertThat(p.profile().deployments().get(1).resources().redis().limits().memory()).hasToString("512Mi");
    }

    @Test
    void setValueOfTheWrongTypeIsLocatedAtTheOptionWithTheFix() {
        List<Diagnostic> e = errors(List.of(), "deployments[0].replicas=three");
        assertThat(e).hasSize(1);
        assertThat(e.get(0).format()).isEqualTo("--set deployments[0].replicas: error[wrong-type]: expected an integer at "
                + "deployments[0].replicas, got the string 'three'\n  fix: write a whole number without quotes, e.g. `--set deployments[0].replicas=2`");
    }

    @Test
    void setValueIsValidatedLikeTheFile() {
        assertThat(errors(List.of(), "deployments[0].replicas=010").get(0))
                .satisfies(d -> assertThat(d.ruleId()).isEqualTo("invalid-value"))
                .satisfies(d -> assertThat(d.location()).isEqualTo(Location.ofFile("--set deployments[0].replicas")));
        assertThat(errors(List.of(), "deployments[0].name=Redis_1").get(0).message()).contains("is not a valid Kubernetes name");
        assertThat(errors(List.of(), "deployments[0].topology=sentinal").get(0).message())
                .isEqualTo("unknown value 'sentinal' for deployments[0].topology; did you mean 'sentinel'?");
        assertThat(errors(List.of(), "name=").get(0).format()).startsWith("--set name: error[missing-field]: missing required field 'name'");
    }

    @Test
    void unknownSetPathGetsDidYouMeanLikeAFile() {
        Diagnostic d = errors(List.of(), "deployments[0].redis.maxmemry=1gb").get(0);
        assertThat(d.format()).isEqualTo("--set deployments[0].redis.maxmemry: error[unknown-field]: unknown field 'maxmemry' in "
                + "deployments[0].redis; did you mean 'maxmemory'?\n  fix: valid fields in deployments[0].redis: maxmemory, maxmemoryPolicy, "
                + "ioThreads, lazyfreeLazyEviction, maxclients, slowlogMicros, tcpKeepalive");
        assertThat(errors(List.of(), "deploymens[0].replicas=3").get(0).message())
                .isEqualTo("unknown field 'deploymens' at the top level; did you mean 'deployments'?");
    }

    @Test
    void setPathsThatDoNotFitTheDocumentSayHow() {
        assertThat(errors(List.of(), "deployments[3].replicas=3").get(0).format()).isEqualTo("--set deployments[3].replicas: error[invalid-value]: "
                + "--set deployments[3].replicas: deployments has 2 items, so there is no item [3]\n"
                + "  fix: use an index from 0 to 1, or [2] to add an item");
        assertThat(errors(List.of(), "deployments.replicas=3").get(0).format()).isEqualTo("--set deployments.replicas: error[wrong-type]: "
                + "deployments is a list, not a mapping, so --set deployments.replicas cannot set a field 'replicas' in it\n"
                + "  fix: pick an item first: deployments[0].replicas");
        assertThat(errors(List.of(), "namespace[0]=x").get(0).message())
                .isEqualTo("namespace is a mapping, not a list, so --set namespace[0] cannot pick item [0] of it");
        assertThat(errors(List.of(), "name.first=x").get(0).message())
                .isEqualTo("name is the value 'base', not a mapping, so --set name.first cannot set a field 'first' in it");
    }

    @Test
    void malformedSetOptionsAreSetSyntaxErrors() {
        assertThat(errors(List.of(), "replicas").get(0).format())
                .isEqualTo("--set replicas: error[set-syntax]: --set replicas has no '='\n  fix: write --set PATH=VALUE, e.g. --set deployments[0].replicas=5");
        assertThat(errors(List.of(), "a..b=1").get(0).format()).startsWith("--set a..b: error[set-syntax]: --set a..b has an empty field name");
        assertThat(errors(List.of(), "=1").get(0).ruleId()).isEqualTo("set-syntax");
        assertThat(errors(List.of(), "[0]=1").get(0).message()).isEqualTo("--set [0] has an empty field name before '['; a profile is a mapping at the top");
        assertThat(errors(List.of(), "deployments[x].name=a").get(0).message()).isEqualTo("--set deployments[x].name: '[x]' is not a list index");
        assertThat(errors(List.of(), "deployments[0]name=a").get(0).message())
                .isEqualTo("--set deployments[0]name: expected '.' or '[' after 'deployments[0]'");
        Diagnostic yaml = errors(List.of(), "deployments[0].clients=[celery").get(0);
        assertThat(yaml.ruleId()).isEqualTo("yaml-syntax");
        assertThat(yaml.location()).isEqualTo(Location.ofFile("--set deployments[0].clients"));
        assertThat(yaml.message()).startsWith("the value of --set deployments[0].clients is not valid YAML: ");
    }

    @Test
    void everyMalformedOverrideIsReportedAtOnce() {
        List<Diagnostic> e = errors(List.of(values("list.yaml", "- a\n- b\n"), values("broken.yaml", "a: [\n")), "x", "y=[");
        assertThat(e).extracting(d -> d.location().file()).containsExactly("list.yaml", "broken.yaml", "--set x", "--set y");
        assertThat(e.get(0).message()).isEqualTo("a values file holds profile fields as a mapping, like a profile; got a list");
        assertThat(e.get(0).location()).isEqualTo(new Location("list.yaml", 1, 1));
    }

    @Test
    void bindingErrorsComeInInputOrderProfileFirst() {
        List<Diagnostic> e = ProfileLoaderErrors.of("base.yaml", BASE.replace("ioThreads: 2", "ioThreads: two"),
                List.of(values("v.yaml", "namespace: {nmae: x}\n")), "deployments[0].replicas=x");
        assertThat(e).extracting(d -> d.location().toString())
                .containsExactly("base.yaml:10:18", "v.yaml:1:13", "--set deployments[0].replicas");
    }

    @Test
    void aDuplicateKeyInAValuesFileIsReportedThere() {
        List<Diagnostic> e = errors(List.of(values("v.yaml", "name: a\nname: b\n")));
        assertThat(e).singleElement().satisfies(d -> {
            assertThat(d.ruleId()).isEqualTo("duplicate-key");
            assertThat(d.location()).isEqualTo(new Location("v.yaml", 2, 1));
            assertThat(d.message()).isEqualTo("duplicate key 'name' at the top level (first set on line 1)");
        });
    }

    @Test
    void aRuleFindingOnAnOverriddenValuePointsAtTheOverride() {
        // The binder's source map is what every later rule locates with.
        LoadedProfile p = load(List.of(values("v.yaml", "deployments:\n  - name: redis\n    topology: sentinel\n    sentinel: {quorum: 9}\n")));
        assertThat(p.sourceMap().locate("/deployments/0/sentinel/quorum")).isEqualTo(new Location("v.yaml", 4, 24));
        assertThat(p.sourceMap().locateKey("/deployments/0/sentinel")).isEqualTo(new Location("v.yaml", 4, 5));
    }

    @Test
    void overridesDoNotHideAProfileThatIsNotAMapping() {
        InputException e = catchThrowableOfType(InputException.class, () -> ProfileLoader.parse("list.yaml", "- a\n",
                Overrides.of(List.of(), List.of("name=x"))));
        assertThat(e.diagnostics()).singleElement().satisfies(d -> assertThat(d.location()).isEqualTo(new Location("list.yaml", 1, 1)));
    }

    /**
     * The 4 MiB limit holds for every input, not only the profile: a values file (however it was read) and a
     * --set value are refused with their own name, at the option for a --set.
     */
    @Test
    void aValuesFileOrSetValueOverTheSizeLimitIsRefusedAsTooLarge() {
        String big = "name: x\n#" + "x".repeat(Yamls.MAX_BYTES - "name: x\n#".length() + 1) + "\n";
        assertThat(errors(List.of(values("big.yaml", big)))).singleElement().satisfies(d -> {
            assertThat(d.ruleId()).isEqualTo("profile-too-large");
            assertThat(d.message()).isEqualTo("the values file passes the limit of 4 MiB (4194304 bytes) here; a profile is a few KiB");
            assertThat(d.location()).isEqualTo(new Location("big.yaml", 2, Yamls.MAX_BYTES - "name: x\n".length() + 1));
        });
        assertThat(errors(List.of(), "description=" + "x".repeat(Yamls.MAX_BYTES + 1))).singleElement().satisfies(d -> {
            assertThat(d.ruleId()).isEqualTo("profile-too-large");
            assertThat(d.message()).isEqualTo("the value of --set description passes the limit of 4 MiB (4194304 bytes) here; "
                    + "a profile is a few KiB");
            assertThat(d.location()).isEqualTo(Location.ofFile("--set description"));
        });
        // At the limit, a values file still loads.
        String atLimit = "name: x\n#" + "x".repeat(Yamls.MAX_BYTES - "name: x\n#".length());
        assertThat(load(List.of(values("ok.yaml", atLimit))).profile().name()).isEqualTo("x");
    }

    /** Loader errors for a profile text with overrides. */
    static final class ProfileLoaderErrors {
        static List<Diagnostic> of(String name, String text, List<LoadedText> values, String... sets) {
            InputException e = catchThrowableOfType(InputException.class,
                    () -> ProfileLoader.parse(name, text, Overrides.of(values, List.of(sets))));
            assertThat(e).isNotNull();
            return e.diagnostics();
        }
    }
}
