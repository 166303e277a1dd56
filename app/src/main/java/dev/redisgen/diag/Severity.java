package dev.redisgen.diag;

/** How bad a finding is. ERROR refuses the render; WARNING is printed and lint exits 1. */
public enum Severity {
    ERROR,
    WARNING;

    public String label() {
        return this == ERROR ? "error" : "warning";
    }
}
