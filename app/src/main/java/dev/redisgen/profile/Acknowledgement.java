package dev.redisgen.profile;

@Doc("A warning accepted on purpose: lint shows it as a note with the reason, and `--strict` no longer fails on it.")
public record Acknowledgement(
        @Required @Doc("Id of a rule that warns (see Verification rules), e.g. `auth`.") String rule,
        @Required @Doc("Why the warning is acceptable here; printed with the note.") String reason) {
}
