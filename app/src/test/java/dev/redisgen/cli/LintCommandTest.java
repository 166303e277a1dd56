package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `redisgen lint` as issue 11 wants it: everything in one pass, a summary line, warnings fail only with --strict,
 * acknowledged warnings are notes. Each case pins stdout, stderr and the exit code.
 */
class LintCommandTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Two errors (a load error and a rule error), three warnings, one note. */
    static final String MIXED = """
            name: t
            namespace: {name: t}
            deployments:
              - name: queue
                topology: sentinel
                purpose: broker
                sentinel: {quorum: 7}
                replcas: 3
              - {name: pages, topology: standalone}
              - {name: data, topology: standalone, purpose: store, auth: {secretName: data-auth}}
            """;

    @Test
    void theSummaryLineCountsErrorsWarningsAndNotesOfTheWholePass() throws IOException {
        Path p = write("mixed.yaml", MIXED);
        CliRun run = CliRun.of("lint", "--profile", p.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines().filter(l -> !l.startsWith("  fix: ")).map(l -> l.replaceFirst("\\]: .*", "]")))
                .containsExactly(
                        p + ":4:5: warning[auth]",
                        p + ":6:14: note[eviction-policy]",
                        p + ":7:24: error[quorum-range]",
                        p + ":8:5: error[unknown-field]",
                        p + ":9:5: warning[auth]",
                        p + ":10:49: warning[store-persistence]",
                        "2 errors, 3 warnings, 1 note");
    }

    @Test
    void warningsAloneExit0AndFailOnlyWithStrict() throws IOException {
        Path p = write("cache.yaml", "name: t\nnamespace: {name: t}\ndeployments: [{name: pages, topology: standalone}]\n");
        CliRun plain = CliRun.of("lint", "--profile", p.toString());
        assertThat(plain.exit()).isZero();
        assertThat(plain.out()).endsWith("\n0 errors, 1 warning, 0 notes\n").contains("warning[auth]");
        CliRun strict = CliRun.of("lint", "--strict", "--profile", p.toString());
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(strict.out()).isEqualTo(plain.out());
        assertThat(strict.err()).isEmpty();
    }

    @Test
    void anAcknowledgedWarningIsANoteAndPassesStrict() throws IOException {
        Path p = write("cache.yaml", """
                name: t
                namespace: {name: t}
                deployments:
                  - name: pages
                    topology: standalone
                    acknowledge: [{rule: auth, reason: "rendered HTML of public pages, nothing secret"}]
                """);
        CliRun run = CliRun.of("lint", "--strict", "--profile", p.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(p + ":4:5: note[auth]: deployment 'pages' has no password: any pod that reaches port 6379 can read,"
                + " write and reconfigure it (CONFIG SET, REPLICAOF) (acknowledged at line 6: rendered HTML of public pages, nothing secret)\n"
                + "0 errors, 0 warnings, 1 note\n");
    }

    @Test
    void aBadAcknowledgementFailsLintWithItsLocation() throws IOException {
        Path p = write("cache.yaml", """
                name: t
                namespace: {name: t}
                deployments:
                  - name: pages
                    topology: standalone
                    acknowledge: [{rule: topology-shape, reason: "two caches"}]
                """);
        CliRun run = CliRun.of("lint", "--profile", p.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains(p + ":6:26: error[acknowledge]: `topology-shape` reports only errors, which cannot be acknowledged\n")
                .endsWith("1 error, 1 warning, 0 notes\n");
    }

    @Test
    void aProfileThatCannotBeReadIsBadInputWithNothingOnStdout() throws IOException {
        Path p = write("broken.yaml", "name: t\nnamespace: {name: t\n");
        CliRun run = CliRun.of("lint", "--strict", "--profile", p.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(p + ":").contains("error[yaml-syntax]");
        CliRun missing = CliRun.of("lint", "--profile", dir.resolve("none.yaml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("error[no-such-file]");
    }

    @Test
    void aCleanProfileExits0WithItsSummary() {
        CliRun run = CliRun.of("lint", "--strict", "--profile", "gateway-ha");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("0 errors, 0 warnings, 0 notes\n");
    }

    @Test
    void helpDocumentsStrictAndTheExitCodes() {
        CliRun run = CliRun.of("lint", "--help");
        assertThat(run.out()).contains("--strict", "Exit 1 on warnings too", "redisgen lint --profile my-team.yaml --strict");
    }
}
