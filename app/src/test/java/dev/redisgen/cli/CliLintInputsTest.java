package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lint's one pass (issue 11) through every input of the Selection: a broken value is reported where it was
 * supplied (a file, a directory's file, stdin, a values file, a --set) alongside the rule findings on the rest;
 * `acknowledge` entries and the scheduling and packaging fields work through overrides as in the file.
 */
class CliLintInputsTest {
    private static final String NO_AUTH = CliTest.CLI + "no-auth.yaml";

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    // ---- one pass over every input ----------------------------------------------------------------------

    @Test
    void aBrokenSetValueIsReportedAtTheOptionAlongsideTheOtherFindings() {
        CliRun run = CliRun.of("lint", "--profile", "airflow", "--set", "deployments[0].replicas=three",
                "--set", "deployments[0].sentinel.quorum=4");
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).isEmpty();
        // The profile's findings first, then the overrides' in the order given; the broken value is left out (3 pods judged).
        assertThat(run.out()).matches("(?s)profiles/airflow\\.yaml:13:14: note\\[eviction-policy\\]: .*\n"
                + "--set deployments\\[0\\]\\.replicas: error\\[wrong-type\\]: expected an integer at deployments\\[0\\]\\.replicas, "
                + "got the string 'three'\n  fix: write a whole number without quotes, e\\.g\\. `--set deployments\\[0\\]\\.replicas=2`\n"
                + "--set deployments\\[0\\]\\.sentinel\\.quorum: error\\[quorum-range\\]: quorum 4 is above the 3 Sentinels .*\n"
                + "2 errors, 0 warnings, 1 note\n");
        // render refuses the same input as before: bad input, nothing on stdout.
        CliRun render = CliRun.of("render", "--profile", "airflow", "--set", "deployments[0].replicas=three");
        assertThat(render.exit()).isEqualTo(2);
        assertThat(render.out()).isEmpty();
    }

    @Test
    void aSetThatCannotBeReadIsLeftOutAndReportedWithTheFindings() {
        CliRun run = CliRun.of("lint", "--profile", NO_AUTH, "--set", "deployments[0].replicas", "--set", "deployments[0].redis.maxmemory=[1");
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains(NO_AUTH + ":7:5: warning[auth]: ")
                .contains("--set deployments[0].replicas: error[set-syntax]: --set deployments[0].replicas has no '='\n")
                .contains("--set deployments[0].redis.maxmemory: error[yaml-syntax]: the value of --set deployments[0].redis.maxmemory is not valid YAML")
                .endsWith("2 errors, 1 warning, 0 notes\n");
        // For render it stays bad input, told once before any profile is read.
        CliRun render = CliRun.of("render", "--profile", NO_AUTH, "--set", "deployments[0].replicas");
        assertThat(render.exit()).isEqualTo(2);
        assertThat(render.out()).isEmpty();
        assertThat(render.err()).startsWith("--set deployments[0].replicas: error[set-syntax]: ");
    }

    @Test
    void aBrokenValueInAValuesFileIsReportedAtItsLine() throws IOException {
        Path values = write("values.yaml", "namespace:\n  create: yes\n");
        CliRun run = CliRun.of("lint", "--profile", NO_AUTH, "-f", values.toString());
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.out()).matches("(?s)" + NO_AUTH + ":7:5: warning\\[auth\\]: .*\n" + values + ":2:11: error\\[wrong-type\\]: .*"
                + "\n1 error, 1 warning, 0 notes\n");
    }

    @Test
    void aBrokenProfileOnStdinGetsItsFindingsToo() throws IOException {
        String airflow = Files.readString(Path.of("profiles/airflow.yaml"), StandardCharsets.UTF_8);
        assertThat(airflow).contains("quorum: 2");
        CliRun run = CliRun.withStdin(airflow.replace("quorum: 2", "quorum: two") + "clusterDomain: Corp_Internal\n", "lint", "--profile", "-");
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.out()).containsPattern("<stdin>:\\d+:\\d+: error\\[wrong-type\\]: expected an integer at deployments\\[0\\]\\.sentinel\\.quorum")
                .containsPattern("<stdin>:\\d+:\\d+: note\\[eviction-policy\\]")
                .containsPattern("<stdin>:\\d+:\\d+: error\\[kubernetes-values\\]: .*Corp_Internal")
                .endsWith("2 errors, 0 warnings, 1 note\n");
    }

    @Test
    void aDirectoryIsJudgedProfileByProfileAndOnlyAnUnboundProfileIsBadInput() throws IOException {
        Path dir = tmp.resolve("profiles");
        write("profiles/a-typo.yaml", Files.readString(Path.of(CliTest.INVALID + "unknown-key-typo.yaml"), StandardCharsets.UTF_8));
        write("profiles/b-no-auth.yaml", Files.readString(Path.of(NO_AUTH), StandardCharsets.UTF_8));
        CliRun run = CliRun.of("lint", "--profile", dir + "/");
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.out()).matches("(?s)" + dir.resolve("a-typo.yaml") + ":5:5: warning\\[auth\\]: .*\n"
                + dir.resolve("a-typo.yaml") + ":8:7: error\\[unknown-field\\]: .*\n"
                + dir.resolve("b-no-auth.yaml") + ":7:5: warning\\[auth\\]: .*\n"
                + "1 error, 2 warnings, 0 notes\n");
        // A profile that does not bind at all: every such profile on stderr, no findings of the others on stdout.
        write("profiles/c-syntax.yaml", "name: x\nnamespace: {name: x\n");
        write("profiles/d-empty.yaml", "# nothing\n");
        CliRun bad = CliRun.of("lint", "--profile", dir + "/");
        assertThat(bad.exit()).as("%s", bad).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).contains(dir.resolve("c-syntax.yaml") + ":").contains("error[yaml-syntax]")
                .contains(dir.resolve("d-empty.yaml") + ":1:1: error[empty-profile]").doesNotContain("unknown-field");
    }

    @Test
    void severalProfilesSayOverWhichProfileAnOverrideFindingArose() {
        CliRun run = CliRun.of("lint", "--profile", "airflow", "--profile", NO_AUTH, "--set", "deployments[0].replicas=three");
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.out()).contains("--set deployments[0].replicas: error[wrong-type]: expected an integer at deployments[0].replicas, "
                        + "got the string 'three' (over profiles/airflow.yaml)\n")
                .contains("--set deployments[0].replicas: error[wrong-type]: expected an integer at deployments[0].replicas, "
                        + "got the string 'three' (over " + NO_AUTH + ")\n")
                .endsWith("2 errors, 1 warning, 1 note\n");
        assertThat(run.out().indexOf("(over profiles/airflow.yaml)")).isLessThan(run.out().indexOf(NO_AUTH + ":7:5: warning[auth]"));
    }

    // ---- acknowledge through overrides --------------------------------------------------------------------

    @Test
    void anAcknowledgeFromSetOrAValuesFileTurnsTheWarningIntoANote() throws IOException {
        CliRun set = CliRun.of("lint", "--profile", NO_AUTH, "--strict",
                "--set", "deployments[0].acknowledge=[{rule: auth, reason: lab only}]");
        assertThat(set.exit()).as("%s", set).isZero();
        assertThat(set.out()).isEqualTo(NO_AUTH + ":7:5: note[auth]: deployment 'cache' has no password: any pod that reaches port 6379 "
                + "can read, write and reconfigure it (CONFIG SET, REPLICAOF) (acknowledged at --set deployments[0].acknowledge: lab only)\n"
                + "0 errors, 0 warnings, 1 note\n");
        Path values = write("ack.yaml", "acknowledge:\n  - {rule: auth, reason: lab only}\n");
        CliRun file = CliRun.of("lint", "--profile", NO_AUTH, "--strict", "-f", values.toString());
        assertThat(file.exit()).as("%s", file).isZero();
        assertThat(file.out()).contains("(acknowledged at " + values + ":2:12: lab only)\n").endsWith("0 errors, 0 warnings, 1 note\n");
        // Without it, --strict fails on the warning.
        assertThat(CliRun.of("lint", "--profile", NO_AUTH, "--strict").exit()).isEqualTo(1);
    }

    @Test
    void aDeploymentsAcknowledgeCoversTheWarningsOfValuesItGetsFromAnyInput() throws IOException {
        Path profile = write("exposed.yaml", """
                name: exposed
                namespace: {name: exposed}
                deployments:
                  - name: cache
                    topology: standalone
                    auth: {secretName: cache-auth}
                    acknowledge:
                      - {rule: service-exposure, reason: "lab network, nothing secret"}
                      - {rule: service-plaintext, reason: "lab network, nothing secret"}
                  - name: other
                    topology: standalone
                    auth: {secretName: other-auth}
                """);
        // The warning is located at the --set that made the Service a LoadBalancer; the entry in the file still covers it.
        CliRun run = CliRun.of("lint", "--profile", profile.toString(), "--strict", "--set", "deployments[0].services.type=LoadBalancer");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("--set deployments[0].services.type: note[service-exposure]: deployment 'cache' exposes Service cache "
                + "as LoadBalancer, but its NetworkPolicy admits only pods").contains("(acknowledged at " + profile + ":8:16: lab network, nothing secret)");
        // The entry belongs to deployment 0: the same warning of deployment 1 stays a warning, and the unused entry warns.
        CliRun other = CliRun.of("lint", "--profile", profile.toString(), "--strict", "--set", "deployments[1].services.type=LoadBalancer");
        assertThat(other.exit()).as("%s", other).isEqualTo(1);
        assertThat(other.out()).contains("--set deployments[1].services.type: warning[service-exposure]: deployment 'other' exposes Service")
                .contains("--set deployments[1].services.type: warning[service-plaintext]: the LoadBalancer Service other of 'other' carries Redis in plain text")
                .contains(profile + ":8:16: warning[acknowledge]: acknowledge of `service-exposure` matches no warning of this deployment")
                .contains(profile + ":9:16: warning[acknowledge]: acknowledge of `service-plaintext` matches no warning of this deployment");
        // A values file that gives the whole list: each deployment's entry covers what lies in its own lines there.
        Path values = write("values.yaml", """
                deployments:
                  - name: cache
                    topology: standalone
                    acknowledge: [{rule: auth, reason: "page cache"}]
                  - name: other
                    topology: standalone
                """);
        CliRun listed = CliRun.of("lint", "--profile", profile.toString(), "-f", values.toString());
        assertThat(listed.exit()).as("%s", listed).isZero();
        assertThat(listed.out()).contains(values + ":2:5: note[auth]: deployment 'cache' has no password")
                .contains(values + ":5:5: warning[auth]: deployment 'other' has no password")
                .endsWith("0 errors, 1 warning, 1 note\n");
    }

    // ---- the scheduling and packaging fields through overrides ---------------------------------------------

    @Test
    void schedulingAndPackagingFieldsWorkThroughOverrides() throws IOException {
        Path values = write("prod.yaml", "clusterDomain: corp.internal\n");
        CliRun run = CliRun.of("render", "--profile", "airflow", "-f", values.toString(),
                "--set", "deployments[0].placement.nodeSelector={disk: ssd}",
                "--set", "deployments[0].imagePullSecrets=[regcred]",
                "--set", "deployments[0].services.type=NodePort",
                "--set", "deployments[0].podLabels={example.com/team: data}");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("redis-0.redis-headless.airflow.svc.corp.internal").doesNotContain(".svc.cluster.local")
                .contains("\n        disk: ssd\n").contains("\n      - name: regcred\n").contains("\n  type: NodePort\n")
                .contains("\n        example.com/team: data\n");
        // A value a rule refuses is located at the option that supplied it.
        CliRun lint = CliRun.of("lint", "--profile", "airflow", "--set", "deployments[0].podLabels={app.kubernetes.io/instance: x}",
                "--set", "deployments[0].placement.tolerations=[{key: a, operator: Exists, tolerationSeconds: 5}]");
        assertThat(lint.exit()).isEqualTo(1);
        assertThat(lint.out()).contains("--set deployments[0].podLabels: error[selector-labels]: pod label 'app.kubernetes.io/instance'")
                .contains("--set deployments[0].placement.tolerations: error[kubernetes-values]: `tolerationSeconds` applies only with "
                        + "`effect: NoExecute`");
    }
}
