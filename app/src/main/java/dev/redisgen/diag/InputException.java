package dev.redisgen.diag;

import java.util.List;

/**
 * Bad input: a broken profile, an impossible topology, a missing file. Carries the diagnostics to print;
 * the CLI turns it into exit code 2 with nothing on stdout. Not final: the loader's subclass also carries the
 * profile as far as it binds, for lint.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Diagnostic> diagnostics;

    public InputException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public InputException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "bad input" : diagnostics.get(0).format(), null, false, false);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
