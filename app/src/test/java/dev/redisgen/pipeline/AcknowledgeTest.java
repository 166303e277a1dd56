package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Severity;
import dev.redisgen.profile.ProfileLoader;
import dev.redisgen.verify.Rules;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: "a deliberate warning (a cache without a password) always exits 1 and cannot be acknowledged". A
 * profile acknowledges a warning by rule id with a reason, in the deployment or for the whole profile; it becomes
 * a note. Entries for no rule, for error-only rules, for an error, twice, or for nothing are refused or flagged.
 */
class AcknowledgeTest {
    static final String TWO_CACHES = """
            name: t
            namespace: {name: t}
            %s
            deployments:
              - name: pages
                topology: standalone
                %s
              - name: sessions
                topology: standalone
            """;

    static List<String> lint(String top, String inPages) {
        return Pipeline.lint(() -> ProfileLoader.parse("p.yaml", TWO_CACHES.formatted(top, inPages))).findings().stream()
                .map(Diagnostic::format).toList();
    }

    @Test
    void aDeploymentsAcknowledgementTurnsItsOwnWarningIntoANoteWithTheReason() {
        assertThat(lint("", "acknowledge: [{rule: auth, reason: \"public pages only\"}]")).containsExactly(
                "p.yaml:5:5: note[auth]: deployment 'pages' has no password: any pod that reaches port 6379 can read, write and reconfigure"
                        + " it (CONFIG SET, REPLICAOF) (acknowledged at line 7: public pages only)",
                // The other deployment's warning stays a warning.
                "p.yaml:8:5: warning[auth]: deployment 'sessions' has no password: any pod that reaches port 6379 can read, write and"
                        + " reconfigure it (CONFIG SET, REPLICAOF)\n  fix: add `auth: {secretName: sessions-auth}` and create the Secret with a"
                        + " `password` key");
    }

    @Test
    void aTopLevelAcknowledgementCoversTheWholeProfile() {
        List<String> found = lint("acknowledge: [{rule: auth, reason: \"dev cluster, no secrets\"}]", "");
        assertThat(found).hasSize(2).allSatisfy(f -> assertThat(f).contains("note[auth]").endsWith("(acknowledged at line 3: dev cluster, no secrets)"));
    }

    @Test
    void anAcknowledgementForAnUnknownRuleIsRefusedWithADidYouMean() {
        assertThat(lint("", "acknowledge: [{rule: auht, reason: x}]")).filteredOn(f -> f.contains("[acknowledge]")).containsExactly(
                "p.yaml:7:26: error[acknowledge]: there is no rule `auht`; did you mean 'auth'?\n  fix: acknowledge one of the rules that warn: "
                        + String.join(", ", Rules.warningIds()));
    }

    @Test
    void anAcknowledgementForARuleThatOnlyReportsErrorsIsRefused() {
        assertThat(lint("", "acknowledge: [{rule: quorum-range, reason: x}]")).filteredOn(f -> f.contains("[acknowledge]")).singleElement()
                .asString().startsWith("p.yaml:7:26: error[acknowledge]: `quorum-range` reports only errors, which cannot be acknowledged");
        assertThat(lint("", "acknowledge: [{rule: unknown-field, reason: x}]")).filteredOn(f -> f.contains("[acknowledge]")).singleElement()
                .asString().contains("there is no rule `unknown-field`");
    }

    @Test
    void anAcknowledgementCannotSilenceAnError() {
        // maxmemory-headroom warns within 10% of the limit, but at the limit it is an error: that stays, and the entry is refused.
        List<String> found = Pipeline.lint(() -> ProfileLoader.parse("p.yaml", """
                name: t
                namespace: {name: t}
                deployments:
                  - name: c
                    topology: standalone
                    auth: {secretName: a}
                    redis: {maxmemory: 512mb}
                    acknowledge: [{rule: maxmemory-headroom, reason: we know}]
                """)).findings().stream().map(d -> d.severity().label() + "[" + d.ruleId() + "] " + d.location().line()).toList();
        assertThat(found).containsExactly("error[maxmemory-headroom] 7", "error[acknowledge] 8");
    }

    @Test
    void anAcknowledgementThatMatchesNothingIsAWarning() {
        assertThat(Pipeline.lint(() -> ProfileLoader.parse("p.yaml", """
                name: t
                namespace: {name: t}
                deployments:
                  - {name: c, topology: standalone, auth: {secretName: a}, acknowledge: [{rule: auth, reason: old}]}
                """)).findings()).extracting(Diagnostic::format).containsExactly(
                "p.yaml:4:81: warning[acknowledge]: acknowledge of `auth` matches no warning of this deployment; left in place it would hide"
                        + " the next one\n  fix: remove this entry");
    }

    @Test
    void twoEntriesForOneRuleAndABlankReasonAreRefused() {
        assertThat(lint("", "acknowledge: [{rule: auth, reason: a}, {rule: auth, reason: b}]"))
                .filteredOn(f -> f.contains("[acknowledge]")).singleElement().asString().contains("`auth` is acknowledged twice here");
        assertThat(lint("", "acknowledge: [{rule: auth, reason: \" \"}]"))
                .filteredOn(f -> f.contains("[acknowledge]")).singleElement().asString().contains("acknowledge of `auth` gives no reason");
    }

    @Test
    void renderNoLongerPrintsAnAcknowledgedWarning() {
        var r = Pipeline.render(ProfileLoader.parse("p.yaml", """
                name: t
                namespace: {name: t}
                deployments: [{name: c, topology: standalone, acknowledge: [{rule: auth, reason: public}]}]
                """));
        assertThat(r.findings()).extracting(Diagnostic::severity).containsExactly(Severity.NOTE);
    }

    @Test
    void everyRuleThatWarnsCanBeAcknowledged() {
        assertThat(Rules.warningIds()).containsExactlyInAnyOrder("maxmemory-headroom", "auth", "placement", "store-persistence", "cluster-heals",
                "service-exposure", "service-plaintext");
    }
}
