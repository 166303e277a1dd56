package dev.redisgen.diag;

/**
 * How bad a finding is. ERROR refuses the render; WARNING is printed and makes lint exit 1;
 * NOTE explains a decision (for example where redisgen departs from a seed) and changes no exit code.
 */
public enum Severity {
    ERROR,
    WARNING,
    NOTE;

    public String label() {
        return switch (this) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case NOTE -> "note";
        };
    }
}
