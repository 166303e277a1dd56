package dev.redisgen.emit;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Location;
import java.io.IOException;

/**
 * {@link OutputDir#write} refused to touch a directory (it holds something redisgen did not write,
 * another profile's output or hand edits) or could not write it. Bad usage or a bad environment
 * (exit code 2), so it carries a {@link Diagnostic} with the rule id and the fix; the directory is as
 * it was.
 */
public final class OutputDirException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnostic diagnostic;

    OutputDirException(String ruleId, String dir, String message, String fix) {
        super(message + "; fix: " + fix);
        this.diagnostic = Diagnostic.error(ruleId, message, fix, Location.ofFile(dir));
    }

    public Diagnostic diagnostic() {
        return diagnostic;
    }
}
