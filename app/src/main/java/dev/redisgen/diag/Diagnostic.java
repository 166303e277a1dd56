package dev.redisgen.diag;

import java.util.Objects;

/**
 * One finding: what is wrong, where, and the fix. Printed as
 * {@code file:line:col: error[rule-id]: message} followed by an indented {@code fix:} line.
 */
public record Diagnostic(Severity severity, String ruleId, String message, String fix, Location location) {

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(location, "location");
    }

    public static Diagnostic error(String ruleId, String message, String fix, Location location) {
        return new Diagnostic(Severity.ERROR, ruleId, message, fix, location);
    }

    public static Diagnostic warning(String ruleId, String message, String fix, Location location) {
        return new Diagnostic(Severity.WARNING, ruleId, message, fix, location);
    }

    public static Diagnostic note(String ruleId, String message, String fix, Location location) {
        return new Diagnostic(Severity.NOTE, ruleId, message, fix, location);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The text a user sees; the same on every run (no stack traces, no object identities). */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(location).append(": ").append(severity.label()).append('[').append(ruleId).append("]: ").append(message);
        if (fix != null && !fix.isBlank()) {
            out.append("\n  fix: ").append(fix);
        }
        return out.toString();
    }
}
