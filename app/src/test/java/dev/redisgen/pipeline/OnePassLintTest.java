package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.profile.ProfileLoadException;
import dev.redisgen.profile.ProfileLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: "Load errors hide the rule findings (fix four names, then meet the next five errors)". lint reports
 * both in one pass wherever the profile binds at all; render and check still refuse the profile.
 */
class OnePassLintTest {

    static List<String> lint(String yaml) {
        return Pipeline.lint(() -> ProfileLoader.parse("p.yaml", yaml)).findings().stream().map(d -> d.location().line() + ":"
                + d.location().column() + " " + d.severity().label() + "[" + d.ruleId() + "]").toList();
    }

    @Test
    void loadErrorsAndRuleFindingsComeTogetherInDocumentOrder() {
        assertThat(lint("""
                name: t
                namespace:
                  name: t
                  create: yes
                deployments:
                  - name: redis
                    topology: sentinel
                    replicas: "3"
                    sentinel: {quorum: 5}
                    redis: {maxmemoryPolicy: allkeys-lru}
                    purpose: broker
                    imagee: redis:7
                """)).containsExactly(
                "4:11 error[wrong-type]",          // create: yes
                "6:5 warning[auth]",               // no password
                "8:15 error[wrong-type]",          // replicas: "3" (left out: the default 3 pods are judged)
                "9:24 error[quorum-range]",        // quorum 5 of 3 Sentinels
                "10:30 error[eviction-policy]",    // a broker that evicts
                "12:5 error[unknown-field]");      // imagee
    }

    @Test
    void aBrokenValueIsJudgedAsIfItWereNotWritten() {
        // `maxmemory: lots` does not bind: the rules see the default (75% of the limit), so no maxmemory finding.
        assertThat(lint("""
                name: t
                namespace: {name: t}
                deployments:
                  - {name: c, topology: standalone, auth: {secretName: a}, redis: {maxmemory: lots}}
                """)).containsExactly("4:79 error[invalid-value]");
    }

    @Test
    void aDeploymentThatCannotBindIsLeftOutAndTheOthersKeepTheirLines() {
        List<String> found = lint("""
                name: t
                namespace: {name: t}
                deployments:
                  - {name: first, topology: sentinal}
                  - name: second
                    topology: sentinel
                    sentinel: {quorum: 9}
                """);
        // The second deployment is deployments[0] of the bound profile, and its finding still points at line 7.
        assertThat(found).containsExactly("4:29 error[invalid-value]", "5:5 warning[auth]", "7:24 error[quorum-range]");
    }

    @Test
    void aBrokenSectionDoesNotAlsoReportItsAbsence() {
        // `auth` without secretName does not bind; the auth rule must not add "no password" on top.
        assertThat(lint("""
                name: t
                namespace: {name: t}
                deployments:
                  - {name: c, topology: standalone, purpose: store, auth: {passwordKey: p}, persistence: {aof: everysec}}
                """)).containsExactly("4:59 error[missing-field]", "4:90 error[missing-field]");
    }

    @Test
    void aProfileThatCannotBeBoundAtAllIsStillBadInput() {
        var e = catchThrowableOfType(InputException.class, () -> Pipeline.lint(() -> ProfileLoader.parse("p.yaml", """
                namespace: {name: t}
                deployments: [{name: c, topology: standalone}]
                """)));
        assertThat(e).isInstanceOf(ProfileLoadException.class);
        assertThat(((ProfileLoadException) e).recovered()).isNull();
        assertThat(e.diagnostics()).extracting(Diagnostic::ruleId).containsExactly("missing-field");
        // Every deployment broken: nothing to judge.
        assertThat(catchThrowableOfType(InputException.class, () -> Pipeline.lint(() -> ProfileLoader.parse("p.yaml", """
                name: t
                namespace: {name: t}
                deployments: [{name: c, topology: nope}]
                """)))).isNotNull();
    }

    @Test
    void renderStillRefusesAProfileWithLoadErrors() {
        var e = catchThrowableOfType(InputException.class, () -> Pipeline.render(ProfileLoader.parse("p.yaml", """
                name: t
                namespace: {name: t}
                deployments: [{name: c, topology: standalone, imagee: x}]
                """)));
        assertThat(e.diagnostics()).extracting(Diagnostic::ruleId).containsExactly("unknown-field");
    }

    @Test
    void aCleanProfileLintsAsBefore() {
        assertThat(Pipeline.lint(() -> ProfileLoader.loadBuiltin("airflow")).findings())
                .isEqualTo(Pipeline.run(ProfileLoader.loadBuiltin("airflow")).findings());
    }
}
